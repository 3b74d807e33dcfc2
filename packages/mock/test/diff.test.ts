import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  diffIndex,
  fetchIndex,
  formatDiff,
  type RouteIndex,
  readIndexFile,
  routeToPath,
} from '../dist/index.js';
import { loadBundle } from './helpers.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const shared = process.env.WOOAPI_SHARED ?? resolve(repoRoot, '../shared');
const indexFile = resolve(shared, 'reference/woocommerce-11.0.1/wc-v3-index.json');
const hasShared = existsSync(indexFile);
if (!hasShared)
  console.warn(`skipped: ../shared not found (${indexFile}); the store-index diff test did not run`);
const cli = fileURLToPath(new URL('../bin/wooapi-mock.js', import.meta.url));

describe('routeToPath', () => {
  it('turns WordPress route regexes into OpenAPI templates', () => {
    expect(routeToPath('/wc/v3/products/(?P<product_id>[\\d]+)/variations/(?P<id>[\\d]+)')).toBe(
      '/products/{product_id}/variations/{id}',
    );
    expect(routeToPath('/wc/v3/settings/(?P<group_id>[\\w-]+)/(?P<id>[\\w-]+)')).toBe(
      '/settings/{group_id}/{id}',
    );
    expect(routeToPath('/wc/v3')).toBe('/');
  });
});

describe('diffIndex on a small store and spec', () => {
  const index: RouteIndex = {
    namespace: 'wc/v3',
    routes: {
      '/wc/v3': { methods: ['GET'] },
      '/wc/v3/things': {
        methods: ['GET', 'POST'],
        endpoints: [
          { methods: ['GET'], args: { page: {}, color: {} } },
          { methods: ['POST'], args: { name: {} } },
        ],
        schema: { properties: { id: {}, name: {}, weight: {} } },
      },
      '/wc/v3/things/(?P<thing_id>[\\d]+)': {
        methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
        endpoints: [
          { methods: ['GET'], args: { id: {} } },
          { methods: ['POST', 'PUT', 'PATCH'], args: { id: {}, name: {} } },
          { methods: ['DELETE'], args: { id: {}, force: {} } },
        ],
      },
      '/wc/v3/gadgets': { methods: ['GET'], endpoints: [{ methods: ['GET'], args: {} }] },
      '/wc/v3/marketplace/featured': { methods: ['GET'], endpoints: [{ methods: ['GET'], args: {} }] },
    },
  };
  const thing = {
    type: 'object',
    properties: {
      id: { type: 'integer', readOnly: true },
      name: { type: 'string' },
      price: { type: 'string' },
      _links: {},
    },
  };
  const doc = {
    openapi: '3.1.0',
    paths: {
      '/things': {
        get: {
          parameters: [{ name: 'page', in: 'query' }, { $ref: '#/components/parameters/Search' }],
          responses: {
            '200': {
              content: {
                'application/json': {
                  schema: { type: 'array', items: { $ref: '#/components/schemas/Thing' } },
                },
              },
            },
          },
        },
        post: {
          requestBody: {
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
          responses: {},
        },
      },
      '/things/{id}': {
        parameters: [{ name: 'id', in: 'path' }],
        get: { responses: {} },
        put: {
          requestBody: {
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
          responses: {},
        },
      },
      '/widgets': { get: { responses: {} } },
    },
    components: { parameters: { Search: { name: 'search', in: 'query' } }, schemas: { Thing: thing } },
  };

  it('lists what each side lacks: routes, methods, parameters, properties, path parameter names', () => {
    const result = diffIndex(index, doc);
    expect(result.matched.sort()).toEqual(['/things', '/things/{id}']);
    expect(result.ignored).toEqual(['/marketplace/featured']);
    expect(result.storeOnly).toEqual(
      expect.arrayContaining([
        { kind: 'route', path: '/gadgets', detail: 'GET' },
        { kind: 'parameter', path: '/things', method: 'GET', name: 'color' },
        { kind: 'property', path: '/things', method: 'GET', name: 'weight' },
        {
          kind: 'path-parameter-name',
          path: '/things/{id}',
          detail: 'the store names them /things/{thing_id}',
        },
        { kind: 'method', path: '/things/{id}', method: 'DELETE' },
      ]),
    );
    expect(result.storeOnly).toHaveLength(5);
    expect(result.specOnly).toEqual(
      expect.arrayContaining([
        { kind: 'route', path: '/widgets' },
        { kind: 'parameter', path: '/things', method: 'GET', name: 'search' },
        // price is writable in the spec, but the store takes only name
        { kind: 'parameter', path: '/things', method: 'POST', name: 'price' },
        { kind: 'parameter', path: '/things/{id}', method: 'PUT', name: 'price' },
        { kind: 'property', path: '/things', method: 'GET', name: 'price' },
      ]),
    );
    expect(result.specOnly).toHaveLength(5);
    const text = formatDiff(result);
    expect(text).toContain('The store has, the spec lacks (5)');
    expect(text).toContain('route /gadgets (GET)');
    expect(text).toContain('parameter color of GET /things');
  });

  it('compares internal routes when asked', () => {
    const result = diffIndex(index, doc, { includeInternal: true });
    expect(result.ignored).toEqual([]);
    expect(result.storeOnly).toContainEqual({ kind: 'route', path: '/marketplace/featured', detail: 'GET' });
  });
});

describe.skipIf(!hasShared)('diff of the WooCommerce 11.0.1 route index against the bundle', () => {
  it('accounts for every public store route and every spec path', async () => {
    const index = await readIndexFile(indexFile);
    const doc = loadBundle();
    const result = diffIndex(index, doc);
    const publicRoutes = Object.keys(index.routes)
      .map((r) => routeToPath(r))
      .filter((p) => p !== '/' && !/^\/(marketplace|paypal-)/.test(p));
    const storeOnlyRoutes = result.storeOnly.filter((i) => i.kind === 'route').map((i) => i.path);
    expect(result.matched.length + storeOnlyRoutes.length).toBe(publicRoutes.length);
    const specOnlyRoutes = result.specOnly.filter((i) => i.kind === 'route').map((i) => i.path);
    expect(result.matched.length + specOnlyRoutes.length).toBe(Object.keys(doc.paths).length);
    // The spec documents products; the store has them: they must match.
    expect(result.matched).toContain('/products');
    expect(result.ignored.length).toBeGreaterThan(0);
  });

  it('runs as `wooapi-mock diff --index FILE`, as text and as JSON', async () => {
    const run = promisify(execFile);
    const text = await run(process.execPath, [cli, 'diff', '--index', indexFile]);
    expect(text.stdout).toMatch(/route\(s\) in both/);
    expect(text.stdout).toContain('The store has, the spec lacks');
    const json = await run(process.execPath, [cli, 'diff', '--index', indexFile, '--json']);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.matched).toContain('/products');
  });
});

describe('wooapi-mock diff input errors', () => {
  const run = promisify(execFile);
  it('says what was wrong', async () => {
    await expect(run(process.execPath, [cli, 'diff'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('exactly one of --store URL or --index FILE'),
    });
    await expect(run(process.execPath, [cli, 'diff', '--index', '/nonexistent.json'])).rejects.toMatchObject({
      stderr: expect.stringContaining('Cannot read the route index /nonexistent.json'),
    });
    await expect(
      run(process.execPath, [cli, 'diff', '--store', 'http://127.0.0.1:1', '--key', 'ck_x']),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('both --key and --secret'),
    });
  });
});

describe('wooapi-mock diff --store against a store on 127.0.0.1', () => {
  const index = {
    namespace: 'wc/v3',
    routes: {
      '/wc/v3': { methods: ['GET'] },
      '/wc/v3/gizmos': { methods: ['GET'], endpoints: [{ methods: ['GET'], args: {} }] },
    },
  };
  const expected = `Basic ${Buffer.from('ck_live:cs_topsecret').toString('base64')}`;
  const bomb = gzipSync(
    Buffer.concat([Buffer.from('{"routes":{}'), Buffer.alloc(40 * 2 ** 20, 0x20), Buffer.from('}')]),
  );
  const seen: string[] = [];
  const store = createServer((req, res) => {
    seen.push(`${req.url} ${req.headers.authorization ?? ''}`);
    if (req.url === '/moved/wp-json/wc/v3?context=help')
      return res
        .writeHead(301, {
          location: `${origin}/elsewhere/wp-json/wc/v3?context=help&consumer_secret=cs_topsecret`,
        })
        .end();
    if (req.url === '/endless/wp-json/wc/v3?context=help') {
      // A store (or a proxy) that never stops answering.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"routes":{');
      const chunk = '"/wc/v3/x":{"methods":["GET"]},'.repeat(2000);
      const pump = () => {
        while (res.write(chunk));
        res.once('drain', pump);
      };
      return pump();
    }
    if (req.url === '/bomb/wp-json/wc/v3?context=help')
      // 40 MiB of JSON whitespace in ~40 kB of gzip: the declared length is the compressed one.
      return res
        .writeHead(200, {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          'content-length': String(bomb.length),
        })
        .end(bomb);
    if (req.url === '/html/wp-json/wc/v3?context=help')
      return res
        .writeHead(200, { 'content-type': 'text/html; charset=UTF-8' })
        .end('<!DOCTYPE html><html><body>Maintenance</body></html>');
    if (req.url !== '/shop/wp-json/wc/v3?context=help') return res.writeHead(404).end('{}');
    if (req.headers.authorization !== expected)
      return res.writeHead(401).end('{"code":"woocommerce_rest_cannot_view"}');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(index));
  });
  let root = '';
  let moved = '';
  let origin = '';

  beforeAll(async () => {
    await new Promise<void>((r) => store.listen(0, '127.0.0.1', () => r()));
    origin = `http://127.0.0.1:${(store.address() as AddressInfo).port}`;
    root = `${origin}/shop`;
    moved = `${origin}/moved`;
  });
  afterAll(() => store.close());

  it('reads the index with Basic credentials from the environment and reports the store-only route', async () => {
    const run = promisify(execFile);
    const { stdout } = await run(
      process.execPath,
      [cli, 'diff', '--store', root, '--json', '--allow-insecure-loopback'],
      {
        env: { ...process.env, WOOCOMMERCE_KEY: 'ck_live', WOOCOMMERCE_SECRET: 'cs_topsecret' },
      },
    ).catch((e: { message: string; stderr?: string }) => {
      throw new Error(`${e.message}\n${e.stderr ?? ''}`);
    });
    const result = JSON.parse(stdout);
    expect(result.storeOnly).toContainEqual({ kind: 'route', path: '/gizmos', detail: 'GET' });
    expect(seen).toContain(`/shop/wp-json/wc/v3?context=help ${expected}`);
  });

  it('refuses to send the key and secret over plain http, to loopback unless allowed, before any request', async () => {
    const run = promisify(execFile);
    const before = seen.length;
    const env = { ...process.env, WOOCOMMERCE_KEY: 'ck_live', WOOCOMMERCE_SECRET: 'cs_topsecret' };
    const local = await run(process.execPath, [cli, 'diff', '--store', root], { env }).catch((e) => e);
    expect(local.code).toBe(2);
    expect(local.stderr).toMatch(/Refusing to send the key and secret over plain http to 127\.0\.0\.1:\d+/);
    expect(local.stderr).toMatch(/https URL, or --allow-insecure-loopback for a store on this machine/);
    expect(local.stderr).not.toContain('cs_topsecret');
    // Not loopback: the flag does not help, and nothing is sent (the name would not even resolve).
    const remote = await run(
      process.execPath,
      [cli, 'diff', '--store', 'http://shop.example.invalid', '--allow-insecure-loopback'],
      { env },
    ).catch((e) => e);
    expect(remote.code).toBe(2);
    expect(remote.stderr).toMatch(/plain http to shop\.example\.invalid.*only applies to localhost/);
    expect(seen.length).toBe(before);
    // Without credentials a plain-http index is fine: there is nothing to leak.
    await expect(fetchIndex(root)).rejects.toThrow(/answered 401/);
  });

  it('never follows a redirect with the credentials, and names where it pointed', async () => {
    const error = await fetchIndex(
      moved,
      { key: 'ck_live', secret: 'cs_topsecret' },
      { allowInsecureLoopback: true },
    ).catch((e: Error) => e);
    expect(String(error)).toMatch(
      /answered 301 redirecting to http:\/\/127\.0\.0\.1:\d+\/elsewhere\/wp-json\/wc\/v3\?context=help&consumer_secret=\*\*\*; not followed/,
    );
    expect(String(error)).toContain('use the final store URL as --store');
    expect(String(error)).not.toContain('cs_topsecret');
    expect(seen.filter((s) => s.startsWith('/elsewhere'))).toEqual([]);
  });

  it('stops reading an index past 32 MiB (endless, or a gzip bomb), and says an HTML page is not one', async () => {
    const before = process.memoryUsage().rss;
    for (const store of [`${origin}/endless`, `${origin}/bomb`]) {
      const error = await fetchIndex(store).catch((e: Error) => e);
      expect(String(error), store).toMatch(/answered more than 32 MiB \(a route index is about 0\.5 MB\)/);
    }
    expect(process.memoryUsage().rss - before).toBeLessThan(512 * 2 ** 20);
    const html = await fetchIndex(`${origin}/html`).catch((e: Error) => e);
    expect(String(html)).toMatch(/answered text\/html; charset=UTF-8 that is not JSON \("<!DOCTYPE html>/);
  });

  it('says what went wrong without the secret', async () => {
    const error = await fetchIndex(
      root,
      { key: 'ck_live', secret: 'cs_wrong_secret' },
      { allowInsecureLoopback: true },
    ).catch((e: Error) => e);
    expect(String(error)).toMatch(/answered 401/);
    expect(String(error)).not.toContain('cs_wrong_secret');
    await expect(fetchIndex('not a url')).rejects.toThrow(/--store is not a URL/);
  });
});
