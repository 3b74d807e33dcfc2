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
});
