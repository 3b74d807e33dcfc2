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
  let proxy: ProxyServer;
  const seen: string[] = [];

  beforeAll(async () => {
    expect(good, 'the spec has an example for getProduct 200').toBeTypeOf('object');
    upstream = createServer((req, res) => {
      seen.push(req.url ?? '');
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
    proxy = await startProxy({ upstream: `http://127.0.0.1:${port}/shop` });
  }, 60_000);

  afterAll(async () => {
    await proxy?.stop();
    upstream?.close();
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

  it('stops the proxy and Prism', async () => {
    const { pid, url } = proxy;
    await proxy.stop();
    expect(groupAlive(pid)).toBe(false);
    await expect(fetch(`${url}/`)).rejects.toThrow();
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
