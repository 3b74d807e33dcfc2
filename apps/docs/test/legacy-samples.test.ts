import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
// @ts-expect-error plain ESM modules without type declarations
import { legacySample } from '../src/legacy.mjs';
// @ts-expect-error plain ESM modules without type declarations
import { operations } from '../src/lib/bundle.mjs';

vi.setConfig({ testTimeout: 120_000 });

const appDir = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const legacy = JSON.parse(readFileSync(require.resolve('@wooapi/spec/legacy-v2.json'), 'utf8'));
const ops = operations(legacy);
// Inside the app, so that `@wooapi/client/legacy-v2` resolves as it would for a user; test-results/ is git-ignored.
const dir = join(appDir, 'test-results', 'legacy-samples');

describe('generated createLegacyClient samples of the legacy reference', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('type-check against @wooapi/client/legacy-v2, every one of them', async () => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const files: string[] = [];
    for (const o of ops) {
      const sample = legacySample(legacy, o);
      expect(sample.source).toContain(`legacy.${o.method.toUpperCase()}('${o.path}'`);
      const file = `${o.op.operationId}.ts`;
      const prelude = 'declare const process: { env: Record<string, string | undefined> };\n';
      writeFileSync(join(dir, file), `${prelude}${sample.source}export {};\n`);
      files.push(file);
    }
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'ES2022',
          lib: ['ES2022', 'DOM'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          skipLibCheck: true,
          types: [],
        },
        files,
      }),
    );
    const tsc = createRequire(join(appDir, '..', '..', 'package.json')).resolve('typescript/bin/tsc');
    const result = await promisify(execFile)(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')]).catch(
      (e: { stdout: string }) => e,
    );
    expect(result.stdout).toBe('');
    expect(files).toHaveLength(65);
  });
});
