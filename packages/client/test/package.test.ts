import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = resolve(root, 'dist');

// The published shape, as a consumer sees it: runs after `build` (turbo's test task depends on it).
describe('the published package', () => {
  it('is built', () => {
    expect(existsSync(resolve(dist, 'index.js')), 'dist/ is missing: run the build first').toBe(true);
  });

  it('exports ESM with types first, for the root and the oauth subpath', () => {
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
    expect(pkg.type).toBe('module');
    for (const entry of ['.', './oauth']) expect(Object.keys(pkg.exports[entry])[0]).toBe('types');
  });

  it('resolves by its own name and exposes the documented API', async () => {
    const main = await import('@wooapi/client');
    for (const name of [
      'createWooClient',
      'paginate',
      'pages',
      'listAll',
      'batch',
      'WooCommerceError',
      'armedFetch',
    ]) {
      expect(typeof (main as Record<string, unknown>)[name], name).toBe('function');
    }
    const oauth = await import('@wooapi/client/oauth');
    expect(typeof oauth.createOAuthSigner).toBe('function');
  });

  it('has nothing Node-only in the runtime: it bundles for the browser', async () => {
    // `*.node.js` files are reached only through the `node` condition of package.json's `#hmac` import.
    for (const file of readdirSync(dist).filter((f) => f.endsWith('.js') && !f.endsWith('.node.js'))) {
      const code = readFileSync(resolve(dist, file), 'utf8');
      expect(code, file).not.toMatch(/from ['"]node:|require\(|\bprocess\.|\bBuffer\b/);
    }
    const out = await build({
      stdin: {
        contents: "export * from '@wooapi/client'; export * from '@wooapi/client/oauth';",
        resolveDir: root,
      },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    expect(out.errors).toEqual([]);
  });

  it("declares its types without openapi-fetch's: dist/index.d.ts and legacy-v2.d.ts reach none of them", () => {
    // openapi-fetch's declarations cost a program ~150,000 type instantiations with skipLibCheck off
    // (docs/decisions/client-types.md): the public declarations use the package's own (src/types.ts).
    const packages = (entry: string) => {
      const seen = new Set<string>();
      const bare = new Set<string>();
      const walk = (file: string) => {
        if (seen.has(file)) return;
        seen.add(file);
        const text = readFileSync(file, 'utf8');
        for (const [, spec] of text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"]([^'"]+)['"]/g)) {
          if (spec!.startsWith('.')) walk(resolve(dirname(file), spec!.replace(/\.js$/, '.d.ts')));
          else if (spec!.startsWith('#')) walk(resolve(dist, `${spec!.slice(1)}.d.ts`));
          else bare.add(spec!);
        }
      };
      walk(resolve(dist, entry));
      return { files: seen.size, bare: [...bare].sort() };
    };
    const main = packages('index.d.ts');
    expect(main.files).toBeGreaterThan(5);
    expect(main.bare).toEqual(['@wooapi/types']);
    expect(packages('legacy-v2.d.ts').bare).toEqual(['@wooapi/types/legacy-v2']);
    expect(packages('oauth.d.ts').bare).toEqual([]);
  });
});
