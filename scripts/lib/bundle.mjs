// Shared by the generators: every generator reads the one bundled document, never the split files.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const bundlePath = fileURLToPath(new URL('../../spec/dist/openapi.json', import.meta.url));
export const legacyBundlePath = fileURLToPath(new URL('../../spec/dist/legacy-v2.json', import.meta.url));

/** The documents of @wooapi/spec, each generated into its own entry of the packages that read it. */
export const API_DOCUMENTS = {
  'wc-v3': { bundle: bundlePath, bundleName: 'spec/dist/openapi.json', dir: 'spec/', entry: 'index', prefix: '/wp-json/wc/v3' },
  'legacy-v2': {
    bundle: legacyBundlePath,
    bundleName: 'spec/dist/legacy-v2.json',
    dir: 'spec/legacy-v2/',
    entry: 'legacy-v2',
    prefix: '/wc-api/v2',
  },
};

export function readBundle(path = bundlePath) {
  if (!existsSync(path)) {
    throw new Error(
      `The bundled spec is missing: ${path}\n` +
        'Build it first: `pnpm build` at the repo root (turbo builds @wooapi/spec before every generator).',
    );
  }
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`The bundled spec at ${path} is not valid JSON (${err.message}); rebuild it with \`pnpm build\`.`);
  }
}

export const GENERATED_HEADER =
  '// This file is generated from the bundled spec (spec/dist/openapi.json). Do not edit it by hand:\n' +
  '// edit spec/ and run `pnpm build`.\n';

/** Atomic write: a failed generator never leaves a half-written file behind. */
export async function writeAtomic(path, text) {
  const { mkdir, rename, writeFile } = await import('node:fs/promises');
  const { dirname } = await import('node:path');
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}
