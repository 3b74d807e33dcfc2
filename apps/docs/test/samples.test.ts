import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it("type-check against @wooapi/client, every one of them, and so do the guides' TypeScript snippets", async () => {
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
    // The guides' ```ts blocks; a block that uses `woo` without creating it gets one.
    for (const guide of readdirSync(join(appDir, 'guides')).filter((f) => f.endsWith('.md'))) {
      const md = readFileSync(join(appDir, 'guides', guide), 'utf8');
      [...md.matchAll(/```ts\n([\s\S]*?)```/g)].forEach((m, i) => {
        const code = m[1]!;
        const needsWoo = /\bwoo\b/.test(code) && !/const woo\b/.test(code);
        const prelude = [
          'declare const process: { env: Record<string, string | undefined> };',
          needsWoo ? "import { createWooClient as makeClient } from '@wooapi/client';" : '',
          needsWoo ? "const woo = makeClient({ url: 'https://example.com' });" : '',
        ].join('\n');
        const file = `guide-${guide.replace(/\.md$/, '')}-${i + 1}.ts`;
        writeFileSync(join(dir, file), `${prelude}\n${code}\nexport {};\n`);
        files.push(file);
      });
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
    expect(files.filter((f) => !f.startsWith('guide-'))).toHaveLength(ops.length);
    expect(files.filter((f) => f.startsWith('guide-')).length).toBeGreaterThan(0);
  });
});
