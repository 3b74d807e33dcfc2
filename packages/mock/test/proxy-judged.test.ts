// What the proxy judges when the answer or the request WordPress runs is not what is on the wire: a store's 501, an
// `_envelope` answer, a POST with `_method` / X-HTTP-Method-Override, a form-encoded body. Real Prism (startProxy), a
// real store double on 127.0.0.1 that records what reaches it; each test fails without the proxy's handling of it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ProxyServer, parseViolations, startProxy } from '../dist/index.js';
import { basicAuth, loadBundle, operations, responseExample } from './helpers.js';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 90_000 });

const doc = loadBundle();
const product = responseExample(
  doc,
  operations(doc).find((o) => o.op.operationId === 'getProduct')?.op,
  '200',
) as Record<string, unknown>;
// WordPress's own bytes: `\/` escapes and a trailing newline that JSON.stringify would not write.
const TRASH_501 =
  '{"code":"woocommerce_rest_trash_not_supported","message":"Webhooks do not support trashing.","data":{"status":501,"see":"https:\\/\\/example.com\\/"}}\n';
const BROKEN_501 = '{"code":501,"message":["not a string"],"data":{"status":501}}';
const tag = { id: 53, name: 'Method override tag', slug: 'method-override-tag', description: '', count: 0 };

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe('startProxy judges what WordPress runs and passes the store answer through', () => {
  let upstream: Server;
  let proxy: ProxyServer;
  const seen: Seen[] = [];

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const url = req.url ?? '';
        seen.push({ method: req.method ?? '', url, headers: req.headers, body });
        const json = (status: number, value: unknown, extra: Record<string, string> = {}) => {
          res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...extra });
          res.end(typeof value === 'string' ? value : JSON.stringify(value));
        };
        if (url.startsWith('/wp-json/wc/v3/webhooks/22'))
          return json(501, TRASH_501, { 'x-store-header': 'kept' });
        if (url.startsWith('/wp-json/wc/v3/webhooks/23')) return json(501, BROKEN_501);
        if (url.startsWith('/wp-json/wc/v3/products/999999?_envelope'))
          return json(200, {
            body: {
              code: 'woocommerce_rest_product_invalid_id',
              message: 'Invalid ID.',
              data: { status: 404 },
            },
            status: 404,
            headers: {},
          });
        if (url.startsWith('/wp-json/wc/v3/products/999998?_envelope'))
          return json(200, { body: { code: 404, message: 'Invalid ID.' }, status: 404, headers: {} });
        if (url.startsWith('/wp-json/wc/v3/products/1?_envelope'))
          return json(200, { body: { ...product, id: 'one' }, status: 200, headers: {} });
        if (url.startsWith('/wp-json/wc/v3/products/tags/53')) return json(200, tag);
        if (url.startsWith('/wp-json/wc/v3/products/tags')) return json(201, { ...tag, id: 51 });
        if (url.startsWith('/wp-json/wc/v3/customers'))
          return json(400, {
            code: 'rest_missing_callback_param',
            message: 'Missing parameter(s): email',
            data: { status: 400, params: ['email'] },
          });
        if (url.startsWith('/wp-json/wc/v3/products')) return json(201, product);
        json(404, { code: 'rest_no_route', message: 'No route', data: { status: 404 } });
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    const { port } = upstream.address() as AddressInfo;
    proxy = await startProxy({ upstream: `http://127.0.0.1:${port}` });
  }, 90_000);

  afterAll(async () => {
    await proxy?.stop();
    upstream?.close();
  });

  const send = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${proxy.apiUrl}${path}`, {
      ...init,
      headers: { ...basicAuth, ...(init.headers as Record<string, string>) },
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      text,
      violations: parseViolations(res.headers.get('sl-violations') ?? undefined),
    };
  };
  const lastSeen = () => seen[seen.length - 1] as Seen;
  const reported = (path: string) => proxy.report().failures.filter((f) => f.path.startsWith(path));

  it("passes a store's 501 through (status, headers, body bytes) and judges it as the spec's 501", async () => {
    const res = await send('/webhooks/22', { method: 'DELETE', headers: { 'x-wooapi-exchange': 'forged' } });
    expect(res.status).toBe(501);
    // The proxy's own exchange header never reaches the store, whoever set it.
    expect(lastSeen().headers['x-wooapi-exchange']).toBeUndefined();
    expect(res.headers.get('x-store-header')).toBe('kept');
    expect(res.text).toBe(TRASH_501);
    expect(res.violations).toEqual([]);
    expect(reported('/wp-json/wc/v3/webhooks/22')).toEqual([]);
    // A 501 that breaks the spec's WooError is reported, with the store's status.
    const broken = await send('/webhooks/23', { method: 'DELETE' });
    expect(broken.status).toBe(501);
    expect(broken.text).toBe(BROKEN_501);
    const [entry] = reported('/wp-json/wc/v3/webhooks/23');
    expect(entry?.status).toBe(501);
    expect(entry?.violations.map((v) => v.location)).toEqual(
      expect.arrayContaining(['response.body.code', 'response.body.message']),
    );
  });

  it('judges an _envelope answer by its inner status and body, and passes the envelope through', async () => {
    const fine = await send('/products/999999?_envelope=1');
    expect(fine.status).toBe(200);
    expect(JSON.parse(fine.text)).toMatchObject({ status: 404, body: { data: { status: 404 } } });
    expect(fine.violations).toEqual([]);
    // The inner 404 breaks the error shape: the wrapper around it is no excuse.
    const broken = await send('/products/999998?_envelope=1');
    expect(broken.status).toBe(200);
    expect(JSON.parse(broken.text)).toEqual({
      body: { code: 404, message: 'Invalid ID.' },
      status: 404,
      headers: {},
    });
    expect(broken.violations.map((v) => v.location)).toContain('response.body.code');
    const wrongProduct = await send('/products/1?_envelope');
    expect(wrongProduct.violations.map((v) => v.location)).toContain('response.body.id');
    expect(reported('/wp-json/wc/v3/products/1?_envelope')[0]?.status).toBe(200);
  });

  it('judges a POST with _method or X-HTTP-Method-Override as the method it names, and forwards it as sent', async () => {
    const ok = await send('/products/tags/53?_method=DELETE&force=true', { method: 'POST' });
    expect(ok.status).toBe(200);
    expect(ok.violations).toEqual([]);
    expect(lastSeen()).toMatchObject({
      method: 'POST',
      url: '/wp-json/wc/v3/products/tags/53?_method=DELETE&force=true',
    });
    // As DELETE, `force` must be a boolean (a POST update has no `force`): only the named method reports it.
    const bad = await send('/products/tags/53?_method=DELETE&force=maybe', { method: 'POST' });
    expect(bad.violations.map((v) => v.location)).toContain('request.query.force');
    const header = await send('/products/tags/53?force=maybe', {
      method: 'POST',
      headers: { 'x-http-method-override': 'DELETE', 'content-type': 'application/json' },
      body: '{ "note" : "bytes as sent" }',
    });
    expect(header.violations.map((v) => v.location)).toContain('request.query.force');
    expect(lastSeen()).toMatchObject({
      method: 'POST',
      url: '/wp-json/wc/v3/products/tags/53?force=maybe',
      body: '{ "note" : "bytes as sent" }',
    });
    expect(lastSeen().headers['x-http-method-override']).toBe('DELETE');
  });

  it('judges a form-encoded body as the JSON WordPress decodes it to, typed by the schema, and sends the form bytes', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const created = await send('/products/tags', {
      method: 'POST',
      headers: form,
      body: 'name=Form+Tag&description=created%20with%20form%20body',
    });
    expect(created.status).toBe(201);
    expect(created.violations).toEqual([]);
    expect(lastSeen().body).toBe('name=Form+Tag&description=created%20with%20form%20body');
    expect(lastSeen().headers['content-type']).toBe('application/x-www-form-urlencoded');
    // PHP-style keys and the schema's types: integer, boolean, a list of objects.
    const typed = 'name=Form+Product&menu_order=3&featured=true&regular_price=5&categories[0][id]=9';
    const product = await send('/products', { method: 'POST', headers: form, body: typed });
    expect(product.status).toBe(201);
    expect(product.violations).toEqual([]);
    expect(lastSeen().body).toBe(typed);
    // What the schema refuses is still reported, by its name in the form.
    const wrong = await send('/products', {
      method: 'POST',
      headers: form,
      body: 'name=X&menu_order=third&categories[0][id]=nine',
    });
    expect(wrong.violations.map((v) => v.location)).toEqual(
      expect.arrayContaining(['request.body.menu_order', 'request.body.categories.0.id']),
    );
    const missing = await send('/customers', { method: 'POST', headers: form, body: 'first_name=Form' });
    expect(missing.status).toBe(400);
    expect(
      missing.violations.some((v) => v.location.startsWith('request.body') && /email/.test(v.message)),
    ).toBe(true);
  });
});
