import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatProxyReport, type ProxyServer, parseViolations, startProxy } from '../dist/index.js';
import { basicAuth, groupAlive, loadBundle, operations, responseExample } from './helpers.js';

// Real processes (Prism, Chromium) on a machine busy with parallel turbo tasks outlast vitest's 5 s default.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 90_000 });

const doc = loadBundle();
const getProduct = operations(doc).find((o) => o.op.operationId === 'getProduct');
const good = responseExample(doc, getProduct?.op, '200') as Record<string, unknown>;
// The same product, with an id of the wrong type: a response that breaks the spec.
const bad = { ...good, id: 'not-a-number' };

describe('startProxy in front of a store on 127.0.0.1', () => {
  let upstream: Server;
  let third: Server;
  let proxy: ProxyServer;
  const seen: string[] = [];
  const bodies: string[] = [];
  const thirdSeen: string[] = [];

  beforeAll(async () => {
    expect(good, 'the spec has an example for getProduct 200').toBeTypeOf('object');
    // Another origin, where a hostile store's redirects point: nothing may reach it.
    third = createServer((req, res) => {
      thirdSeen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.end('[]');
    });
    await new Promise<void>((r) => third.listen(0, '127.0.0.1', () => r()));
    const elsewhere = `http://127.0.0.1:${(third.address() as AddressInfo).port}`;
    upstream = createServer((req, res) => {
      seen.push(req.url ?? '');
      req.on('data', (c: Buffer) => bodies.push(c.toString()));
      if (req.url?.startsWith('/shop/wp-json/wc/v3/products/7')) {
        res.writeHead(req.method === 'GET' ? 302 : 307, {
          location: `${elsewhere}/steal?consumer_key=ck_live&consumer_secret=cs_live`,
        });
        return res.end();
      }
      if (req.method === 'POST' && req.url === '/shop/wp-json/wc/v3/products') {
        let text = '';
        req.on('data', (c: Buffer) => {
          text += c;
        });
        return req.on('end', () => {
          res.setHeader('content-type', 'application/json');
          try {
            JSON.parse(text);
          } catch {
            res.statusCode = 400;
            return res.end(
              '{"code":"rest_invalid_json","message":"Invalid JSON body passed.","data":{"status":400}}',
            );
          }
          res.statusCode = 201;
          res.end(JSON.stringify(good));
        });
      }
      // A store that never answers this one.
      if (req.url?.startsWith('/shop/wp-json/wc/v3/products/9')) return;
      // One that sends its head and the start of a body, then stalls.
      if (req.url?.startsWith('/shop/wp-json/wc/v3/products/8')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.write('{"id":8,');
      }
      if (req.url?.includes('%FF')) {
        res.statusCode = 404;
        res.setHeader('content-type', 'application/json');
        return res.end(
          '{"code":"rest_no_route","message":"No route was found matching the URL and request method.","data":{"status":404}}',
        );
      }
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/shop/wp-json/wc/v3/products/1')) return res.end(JSON.stringify(good));
      if (req.url?.startsWith('/shop/wp-json/wc/v3/products/2')) return res.end(JSON.stringify(bad));
      if (req.url?.startsWith('/shop/wp-json/wc/v3/products/batch'))
        return res.end(JSON.stringify({ update: [good] }));
      res.statusCode = 404;
      res.end(JSON.stringify({ code: 'rest_no_route', message: 'No route', data: { status: 404 } }));
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    const { port } = upstream.address() as AddressInfo;
    proxy = await startProxy({ upstream: `http://127.0.0.1:${port}/shop`, upstreamTimeoutMs: 1500 });
  }, 60_000);

  afterAll(async () => {
    await proxy?.stop();
    upstream?.close();
    third?.close();
  });

  it('forwards to the store (sub-folder kept) and reports only the response that breaks the spec', async () => {
    const ok = await fetch(`${proxy.apiUrl}/products/1`, { headers: basicAuth });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual(good);
    const broken = await fetch(`${proxy.apiUrl}/products/2?consumer_key=ck_secret123`, {
      headers: basicAuth,
    });
    expect(broken.status).toBe(200);
    expect(await broken.json()).toEqual(bad);
    expect(seen).toEqual([
      '/shop/wp-json/wc/v3/products/1',
      '/shop/wp-json/wc/v3/products/2?consumer_key=ck_secret123',
    ]);

    const report = proxy.report();
    expect(report.requests).toBe(2);
    expect(report.failures).toHaveLength(1);
    const [failure] = report.failures;
    expect(failure).toMatchObject({
      method: 'GET',
      path: '/wp-json/wc/v3/products/2?consumer_key=***',
      status: 200,
    });
    expect(failure!.violations).toContainEqual(
      expect.objectContaining({ location: 'response.body.id', severity: 'Error' }),
    );
    const text = proxy.formatReport();
    expect(text).toContain('1 of 2 request(s) broke the spec');
    expect(text).toContain('GET /wp-json/wc/v3/products/2?consumer_key=*** -> 200');
    expect(text).toContain('response.body.id');
    expect(text).not.toContain('ck_secret123');
  });

  it('forwards the methods a store accepts beside the documented one (PUT and PATCH batches, PATCH updates, HEAD)', async () => {
    const before = proxy.report().failures.length;
    const json = { ...basicAuth, 'content-type': 'application/json' };
    const batch = JSON.stringify({ update: [{ id: 1, name: 'Renamed' }] });
    for (const method of ['PUT', 'PATCH']) {
      const res = await fetch(`${proxy.apiUrl}/products/batch`, { method, headers: json, body: batch });
      expect(res.status, `${method} /products/batch`).toBe(200);
      expect(await res.json()).toEqual({ update: [good] });
    }
    const patch = await fetch(`${proxy.apiUrl}/products/1`, {
      method: 'PATCH',
      headers: json,
      body: '{"name":"x"}',
    });
    expect(patch.status).toBe(200);
    expect(await patch.json()).toEqual(good);
    const head = await fetch(`${proxy.apiUrl}/products/1`, { method: 'HEAD', headers: basicAuth });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect(seen.filter((u) => u.includes('/products/batch'))).toHaveLength(2);
    expect(proxy.report().failures.slice(before)).toEqual([]);
  });

  it('passes a redirect of the store back unfollowed: nothing reaches the other origin', async () => {
    const before = proxy.report().failures.length;
    const get = await fetch(`${proxy.apiUrl}/products/7?consumer_key=ck_live`, {
      headers: basicAuth,
      redirect: 'manual',
    });
    expect(get.status).toBe(302);
    expect(get.headers.get('location')).toMatch(/\/steal\?consumer_key=ck_live/);
    const post = await fetch(`${proxy.apiUrl}/products/7`, {
      method: 'POST',
      headers: { ...basicAuth, 'content-type': 'application/json' },
      body: '{"name":"x"}',
      redirect: 'manual',
    });
    expect(post.status).toBe(307);
    await Promise.all([get.arrayBuffer(), post.arrayBuffer()]);
    expect(thirdSeen).toEqual([]);
    const failures = proxy.report().failures.slice(before);
    expect(failures).toHaveLength(2);
    for (const f of failures) {
      const redirect = f.violations.find((v) => v.code === 'redirect');
      expect(redirect?.message).toMatch(
        /redirecting to http:\/\/127\.0\.0\.1:\d+\/steal\?consumer_key=\*\*\*&consumer_secret=\*\*\*.*use the final URL/,
      );
    }
    expect(JSON.stringify(proxy.report())).not.toContain('cs_live');
  });

  it('forwards a request that breaks the spec to the store as sent, and reports its request violations', async () => {
    const before = proxy.report().failures.length;
    const res = await fetch(`${proxy.apiUrl}/products`, {
      method: 'POST',
      headers: { ...basicAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 42 }),
    });
    // The store's answer, not Prism's 422.
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual(good);
    expect(bodies).toContain('{"name":42}');
    const [failure] = proxy.report().failures.slice(before);
    expect(failure?.violations).toContainEqual(
      expect.objectContaining({ location: 'request.body.name', severity: 'Error' }),
    );
    // Without credentials too: the store decides (here it answers), not Prism's 401.
    const seenBefore = seen.length;
    const anonymous = await fetch(`${proxy.apiUrl}/products/1`);
    expect(anonymous.status).toBe(200);
    await anonymous.arrayBuffer();
    expect(seen.slice(seenBefore)).toEqual(['/shop/wp-json/wc/v3/products/1']);
  });

  it('passes what Prism cannot parse (a malformed URL, a body that is not JSON) to the store unchecked, reports it, and stays up', async () => {
    const before = proxy.report().failures.length;
    const url = await fetch(`${proxy.apiUrl}/products/%FF`, {
      headers: basicAuth,
      signal: AbortSignal.timeout(20_000),
    });
    expect(url.status).toBe(404);
    expect(await url.json()).toMatchObject({ code: 'rest_no_route' });
    const json = await fetch(`${proxy.apiUrl}/products`, {
      method: 'POST',
      headers: { ...basicAuth, 'content-type': 'application/json' },
      body: '{"name": "broken",,}',
      signal: AbortSignal.timeout(20_000),
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ code: 'rest_invalid_json' });
    expect(seen).toContain('/shop/wp-json/wc/v3/products/%FF');
    const failures = proxy.report().failures.slice(before);
    expect(failures.map((f) => [f.status, f.violations[0]?.location, f.violations[0]?.code])).toEqual([
      [404, 'request.url', 'wooapi_invalid_url'],
      [400, 'request.body', 'rest_invalid_json'],
    ]);
    expect(failures[0]!.violations[0]!.message).toMatch(/unchecked/);
    const ok = await fetch(`${proxy.apiUrl}/products/1`, { headers: basicAuth });
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
    expect(proxy.restarts).toBe(0);
  });

  it('answers 502 wooapi_proxy_timeout when the store does not answer within upstreamTimeoutMs', async () => {
    const started = performance.now();
    const res = await fetch(`${proxy.apiUrl}/products/9`, {
      headers: basicAuth,
      signal: AbortSignal.timeout(30_000),
    });
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ code: 'wooapi_proxy_timeout' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(1400);
    // A store that stalls mid-body did not answer either.
    const stalled = await fetch(`${proxy.apiUrl}/products/8`, {
      headers: basicAuth,
      signal: AbortSignal.timeout(30_000),
    });
    expect(stalled.status).toBe(502);
    expect(await stalled.json()).toMatchObject({ code: 'wooapi_proxy_timeout' });
  });

  it('stops the proxy and Prism', async () => {
    const { pid, url } = proxy;
    await proxy.stop();
    expect(groupAlive(pid)).toBe(false);
    await expect(fetch(`${url}/`)).rejects.toThrow();
  });
});

describe('startProxy in front of a store on plain http that is not loopback', () => {
  let proxy: ProxyServer;
  // Nothing is sent there: the proxy refuses before it forwards (the name cannot resolve anyway).
  beforeAll(async () => {
    proxy = await startProxy({ upstream: 'http://shop.example.invalid' });
  }, 60_000);
  afterAll(() => proxy?.stop());

  it('refuses to forward Basic credentials or consumer_secret in the clear', async () => {
    const basic = await fetch(`${proxy.apiUrl}/products`, { headers: basicAuth });
    expect(basic.status).toBe(400);
    const body = await basic.json();
    expect(body).toMatchObject({ code: 'wooapi_insecure_credentials', data: { status: 400 } });
    expect(body.message).toMatch(/plain http to shop\.example\.invalid.*https.*OAuth 1\.0a/);
    const query = await fetch(`${proxy.apiUrl}/products?consumer_key=ck_x&consumer_secret=cs_secret`);
    expect(query.status).toBe(400);
    await query.arrayBuffer();
    expect(JSON.stringify(proxy.report())).not.toContain('cs_secret');
    // Also when Prism could not check the request (it would go to the store straight).
    const malformed = await fetch(`${proxy.apiUrl}/products/%FF`, { headers: basicAuth });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 'wooapi_insecure_credentials' });
    expect(proxy.report().failures.map((f) => f.violations[0]?.code)).toEqual([
      'wooapi_insecure_credentials',
      'wooapi_insecure_credentials',
      'wooapi_insecure_credentials',
    ]);
  });
});

describe('proxy report helpers', () => {
  it('parses sl-violations, including a cut-off header', () => {
    expect(parseViolations(undefined)).toEqual([]);
    const header = JSON.stringify([
      { location: ['response', 'body', 'price'], severity: 'Error', code: 'type', message: 'm' },
    ]);
    expect(parseViolations(header)).toEqual([
      { location: 'response.body.price', severity: 'Error', code: 'type', message: 'm' },
    ]);
    const cut = parseViolations('Too many violations! [{"location":["resp');
    expect(cut).toHaveLength(1);
    expect(cut[0]!.code).toBe('truncated');
  });
  it('says so when everything matched', () => {
    expect(formatProxyReport({ requests: 3, failures: [] })).toBe(
      '3 request(s) checked: all matched the spec.',
    );
  });
  it('rejects a bad upstream at the edge', async () => {
    await expect(startProxy({ upstream: 'not a url' })).rejects.toThrow(/upstream is not a URL/);
    await expect(startProxy({ upstream: 'ftp://x' })).rejects.toThrow(/http\(s\)/);
    await expect(startProxy({ upstream: 'https://shop.example/wp-json/wc/v3' })).rejects.toThrow(
      /store root/,
    );
    await expect(startProxy({ upstream: 'https://ck:cs@shop.example' })).rejects.toThrow(
      /must not carry credentials/,
    );
  });
});
