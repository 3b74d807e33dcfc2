// Issue 13, part 3: the browser app (create a client, sign with OAuth, page through products), bundled from dist as
// an app bundler does, stays small on the success path; the diagnostics live in a chunk loaded on the first failure,
// and that chunk really loads and builds the typed error when a request fails (run in Node against 127.0.0.1).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module of the bench, shared so that the README figure and this test agree.
import { appSize } from '../bench/app-size.mjs';
import { json, startServer } from './helpers/server.js';

interface Chunk {
  file: string;
  gzip: number;
  inputs: string[];
  contents: Uint8Array;
}
interface AppSize {
  entry: Chunk;
  success: Chunk[];
  error: Chunk[];
  unused: Chunk[];
  successGzip: number;
  errorGzip: number;
}

/**
 * The cap on the success path (entry + every chunk it loads, the OAuth chunk included), min + gzip -9. Issue 13's
 * 6 kB target is retired by decision (docs/decisions/client-bundle.md: what the last 2 kB buy); measured 7.96 kB
 * (8,152 B: one entry chunk of 6,447 B and the OAuth chunk of 1,705 B), so the cap is a ratchet just above it: lower it
 * as the bundle shrinks, never raise it without a decision note.
 */
const SUCCESS_CAP = 8.0 * 1024;

const out = mkdtempSync(join(tmpdir(), 'wooapi-bundle-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const app = (await appSize(out)) as AppSize;
const text = (c: Chunk) => new TextDecoder().decode(c.contents);

describe('the browser app bundle', () => {
  it('loads the entry and the OAuth chunk on the success path, within the cap, and no shared chunk', () => {
    const names = app.success.flatMap((c) => c.inputs);
    // A lazy chunk (fail, OAuth, raw) that imported a module of the entry would make bundlers split a third, shared
    // chunk that the entry loads statically: fail.ts is handed the classes instead (ColdDeps), oauth.ts imports none.
    expect(
      app.success.map((c) => c.file),
      'a shared chunk on the success path',
    ).toHaveLength(2);
    expect(names.some((i) => i.endsWith('dist/oauth.js'))).toBe(true);
    expect(names.some((i) => i.endsWith('dist/fail.js'))).toBe(false);
    expect(names.some((i) => i.includes('openapi-fetch'))).toBe(false);
    const total = app.success.reduce((s, c) => s + c.gzip, 0);
    expect(total).toBe(app.successGzip);
    expect(total, `success path ${total} B (cap ${SUCCESS_CAP} B)`).toBeLessThanOrEqual(SUCCESS_CAP);
  });

  it('keeps the long error texts out of what the success path loads', () => {
    const loaded = app.success.map(text).join('\n');
    for (const cold of [
      'with an empty body',
      'credentials are never sent to another origin',
      'likely fixes',
      'the store ignores per_page',
      'connection refused',
    ]) {
      // Booleans, not the texts: a failure here should not print the whole bundle.
      expect(loaded.includes(cold), `${cold} is on the success path`).toBe(false);
      expect(app.error.map(text).join('\n').includes(cold), `${cold} is not in the error chunk`).toBe(true);
    }
  });

  it('loads the error chunk on the first failure and throws the typed error with its message', async () => {
    const store = await startServer((_req, res, n) => {
      if (n === 1)
        return json(res, 200, [{ id: 1 }, { id: 2 }], { 'x-wp-total': '3', 'x-wp-totalpages': '2' });
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html><body>Not Found</body></html>');
    });
    try {
      const g = globalThis as { WOO_URL?: string; WOO_ERROR?: unknown };
      g.WOO_URL = store.url;
      // Run as `<script type="module">` runs it. The entry has no import or export statement of its own (every
      // chunk it loads is an `import()`), and the test's module loader takes such a file for a classic script, where
      // a top-level `for await` does not parse: a copy marked as a module with an empty export.
      const entry = join(out, `module-${app.entry.file}`);
      writeFileSync(entry, `${text(app.entry)}\nexport {};\n`);
      await import(pathToFileURL(entry).href);
      const e = g.WOO_ERROR as Error & { code: string; status: number; data: Record<string, unknown> };
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe('WooInvalidResponseError');
      expect(e.code).toBe('wooapi_invalid_response');
      expect(e.status).toBe(404);
      expect(e.message).toBe(
        `HTTP 404: an HTML page instead of JSON (GET ${store.url}/wp-json/wc/v3/products)`,
      );
      expect(e.data.snippet).toBe('<html><body>Not Found</body></html>');
      // The bundle signed both requests with OAuth (the OAuth chunk ran) and never showed the secret.
      expect(store.requests).toHaveLength(2);
      for (const r of store.requests) expect(r.url).toMatch(/oauth_signature=/);
      expect(JSON.stringify(e) + e.message).not.toContain('cs_x');
    } finally {
      await store.close();
    }
  });

  it('times an attempt out in a browser build: its own timer aborts the request, the error chunk types it', async () => {
    // The browser side of `#dispatch` (one timer and an AbortController per attempt), which Node's tests never load.
    const store = await startServer(() => new Promise(() => {}));
    try {
      const dir = join(out, 'timeout');
      await build({
        stdin: {
          contents: `import { createWooClient } from '@wooapi/client';
export const done = createWooClient({ url: ${JSON.stringify(store.url)}, consumerKey: 'ck_x', consumerSecret: 'cs_x', timeout: 300, retry: false })
  .GET('/products').then(() => undefined, (e) => e);`,
          resolveDir: join(dirname(fileURLToPath(import.meta.url)), '../bench'),
        },
        platform: 'browser',
        bundle: true,
        minify: true,
        splitting: true,
        format: 'esm',
        outdir: dir,
        entryNames: 'app',
        logLevel: 'silent',
        // From dist, as an app would (no tsconfig: its `paths` would map `#dispatch` to src).
        tsconfigRaw: {},
      });
      const started = Date.now();
      const { done } = await import(pathToFileURL(join(dir, 'app.js')).href);
      const late = new Promise((r) => setTimeout(r, 3000, new Error('no timeout within 3 s')));
      const e = (await Promise.race([done, late])) as Error & { code: string; data: Record<string, unknown> };
      expect(Date.now() - started).toBeLessThan(3000);
      expect(e.name).toBe('WooTimeoutError');
      expect(e.code).toBe('wooapi_timeout');
      expect(e.message).toMatch(/^timed out: 1 attempt over \d+\.\d\d s, each attempt limited to 300 ms/);
      expect(e.data).toEqual({ attempts: 1, timeoutMs: 300 });
      // The abort reached the socket: the store sees the request end.
      for (let i = 0; i < 50 && store.inFlight() > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(store.inFlight()).toBe(0);
      expect(store.requests).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
