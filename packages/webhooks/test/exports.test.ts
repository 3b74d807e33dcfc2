import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const pkg = fileURLToPath(new URL('../', import.meta.url));
const built = existsSync(`${pkg}dist/index.js`);

/** Where a fresh Node process resolves a specifier to, under the given export conditions. */
function resolveIn(specifier: string, conditions: string[] = []): string {
  const r = spawnSync(
    process.execPath,
    [
      ...conditions.map((c) => `--conditions=${c}`),
      '--input-type=module',
      '-e',
      `console.log(import.meta.resolve(${JSON.stringify(specifier)}))`,
    ],
    { cwd: pkg, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim().replace(/^.*\/packages\/webhooks\//, '');
}

describe('the published shape (needs `pnpm build` first)', () => {
  it('has a build to check', () => {
    expect(built, 'dist/ is missing: run `pnpm build` (turbo builds before testing)').toBe(true);
  });

  it.skipIf(!built)(
    'resolves the node:crypto entry under Node and the WebCrypto one on edge conditions',
    () => {
      expect(resolveIn('@wooapi/webhooks')).toBe('dist/index.node.js');
      for (const c of ['browser', 'workerd', 'worker', 'edge-light'])
        expect(resolveIn('@wooapi/webhooks', [c])).toBe('dist/index.js');
      expect(resolveIn('@wooapi/webhooks/node')).toBe('dist/node.js');
    },
  );

  it.skipIf(!built)('the WebCrypto entry imports nothing from node:', () => {
    // Walk the module graph of dist/index.js through its static imports.
    const seen = new Set<string>();
    const specifiers: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const code = readFileSync(file, 'utf8');
      for (const m of code.matchAll(
        /^\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm,
      )) {
        const spec = (m[1] ?? m[2]) as string;
        specifiers.push(spec);
        if (spec.startsWith('.')) visit(join(dirname(file), spec));
      }
    };
    visit(`${pkg}dist/index.js`);
    expect(seen.size).toBeGreaterThan(5);
    expect(specifiers.filter((s) => !s.startsWith('.'))).toEqual([]);
  });

  it.skipIf(!built)(
    'compiles a consumer against the exported types',
    () => {
      const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
      const r = spawnSync(process.execPath, [tsc, '-p', 'test/consumer/tsconfig.json'], {
        cwd: pkg,
        encoding: 'utf8',
      });
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
    },
    60_000,
  );
});
