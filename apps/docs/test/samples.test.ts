import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
// @ts-expect-error plain ESM modules without type declarations
import { loadBundle, operations } from '../src/lib/bundle.mjs';
// @ts-expect-error plain ESM modules without type declarations
import { codeSample, literal } from '../src/lib/samples.mjs';

vi.setConfig({ testTimeout: 120_000 });

const appDir = fileURLToPath(new URL('..', import.meta.url));
const doc = loadBundle();
const ops = operations(doc);
// Inside the app, so that `@wooapi/client` resolves as it would for a user; test-results/ is git-ignored.
const dir = join(appDir, 'test-results', 'samples');

describe('generated code samples', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes TypeScript literals', () => {
    expect(literal({ a: 1, 'b-c': ['x', "it's"], d: { e: null } })).toBe(
      "{\n  a: 1,\n  'b-c': ['x', 'it\\'s'],\n  d: {\n    e: null,\n  },\n}",
    );
  });

  it('type-check against @wooapi/client, every one of them', async () => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const files: string[] = [];
    for (const o of ops) {
      const file = `${o.op.operationId}.ts`;
      // The samples read keys from the environment; declare it rather than pull in @types/node.
      const prelude = 'declare const process: { env: Record<string, string | undefined> };\n';
      writeFileSync(join(dir, file), `${prelude}${codeSample(doc, o).source}export {};\n`);
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
    const run = promisify(execFile);
    const result = await run(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')]).catch(
      (e: { stdout: string }) => e,
    );
    expect(result.stdout).toBe('');
    expect(files).toHaveLength(ops.length);
  });
});
