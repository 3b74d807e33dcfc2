import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  createWooClient,
  isWooCommerceError,
  WooApiError,
  WooCommerceError,
  WooConfigError,
  WooInvalidResponseError,
  WooNetworkError,
} from '../src/index.js';
import { caught, KEY, leaks, SECRET } from './helpers/errors.js';
import { json, startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace('/wp-json/wc/v3', '');
    switch (path) {
      case '/products/404':
        return json(res, 404, {
          code: 'woocommerce_rest_product_invalid_id',
          message: 'Invalid ID.',
          data: { status: 404 },
        });
      case '/products/400':
        return json(res, 400, {
          code: 'rest_invalid_param',
          message: 'Invalid parameter(s): regular_price',
          data: { status: 400, params: { regular_price: 'regular_price is not of type string.' } },
        });
      case '/products/html200':
        res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' });
        return res.end(
          '<!DOCTYPE html><html><body>Briefly unavailable for scheduled maintenance.</body></html>',
        );
      case '/products/json-as-html':
        // Some caching plugins serve a cached REST answer as text/html.
        res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' });
        return res.end('{"id":7,"name":"Cached"}');
      case '/products/html502':
        res.writeHead(502, { 'content-type': 'text/html' });
        return res.end('<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>');
      case '/products/truncated':
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('[{"id":1,"name":"Hoo');
      case '/products/empty':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '0' });
        return res.end();
      case '/products/cut':
        // Promise 1000 bytes, send 10, hang up: the body is truncated on the wire.
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('[{"id":1,');
        return setTimeout(() => req.socket.destroy(), 20);
      case '/products/echo':
        // A misbehaving host echoing the request URL (with the credentials) into its error.
        return json(res, 500, {
          code: 'internal',
          message: `failed for ${req.url}`,
          data: { status: 500, url: req.url },
        });
      case '/products/204':
        res.writeHead(204);
        return res.end();
      default:
        return json(res, 418, 'teapot');
    }
  });
});
afterAll(() => server.close());

const client = (auth: 'oauth1' | 'query' | 'basic' = 'oauth1') =>
  createWooClient({
    url: server.url,
    consumerKey: KEY,
    consumerSecret: SECRET,
    auth,
    allowInsecureLoopback: true,
    retry: false,
  });

const get = (woo: ReturnType<typeof client>, id: string) =>
  woo.GET('/products/{id}', { params: { path: { id: id as unknown as number } } });

describe('typed errors', () => {
  it("keeps WooCommerce's envelope: status, code, message, data, method, path", async () => {
    const err = await caught(get(client(), '404'));
    expect(err).toBeInstanceOf(WooApiError);
    expect(err).toBeInstanceOf(WooCommerceError);
    expect(err).toMatchObject({
      status: 404,
      code: 'woocommerce_rest_product_invalid_id',
      data: { status: 404 },
      method: 'GET',
      path: '/products/404',
    });
    // The message names method, host and full path, so a wrong `url` shows; `path` stays the API path.
    expect((err as Error).message).toBe(`Invalid ID. (GET ${server.url}/wp-json/wc/v3/products/404)`);
    expect((err as WooApiError).host).toBe(new URL(server.url).host);
  });

  it('narrows by code', async () => {
    const err = await caught(get(client(), '400'));
    if (isWooCommerceError(err, 'rest_invalid_param')) {
      expectTypeOf(err.code).toEqualTypeOf<'rest_invalid_param'>();
      expect(err.data.params).toEqual({ regular_price: 'regular_price is not of type string.' });
    } else {
      throw new Error('expected rest_invalid_param');
    }
    expect(isWooCommerceError(err, 'rest_no_route')).toBe(false);
  });

  it('turns an HTML page into WooInvalidResponseError, on 200 and on 502', async () => {
    const a = (await caught(get(client(), 'html200'))) as WooInvalidResponseError;
    expect(a).toBeInstanceOf(WooInvalidResponseError);
    expect(a.code).toBe('wooapi_invalid_response');
    expect(a.status).toBe(200);
    expect(a.message).toMatch(/HTML page/);
    expect(a.data.snippet).toContain('scheduled maintenance');
    const b = (await caught(get(client(), 'html502'))) as WooInvalidResponseError;
    expect(b).toBeInstanceOf(WooInvalidResponseError);
    expect(b.status).toBe(502);
  });

  it('accepts a JSON body that a caching plugin labels text/html', async () => {
    const { data } = await get(client(), 'json-as-html');
    expect(data).toEqual({ id: 7, name: 'Cached' });
  });

  it('turns truncated JSON, an empty body and a cut connection into typed errors', async () => {
    const t = (await caught(get(client(), 'truncated'))) as WooInvalidResponseError;
    expect(t.code).toBe('wooapi_invalid_response');
    expect(t.message).toMatch(/invalid or truncated JSON/);
    const e = (await caught(get(client(), 'empty'))) as WooInvalidResponseError;
    expect(e.code).toBe('wooapi_invalid_response');
    expect(e.message).toMatch(/empty body/);
    const c = await caught(get(client(), 'cut'));
    expect(c).toBeInstanceOf(WooNetworkError);
  });

  it('honours parseAs, and still types an invalid JSON body with parseAs json', async () => {
    // An error status is an error whatever parseAs says.
    const text = await caught(
      client().GET('/products/{id}', { params: { path: { id: 404 } }, parseAs: 'text' }),
    );
    expect(text).toBeInstanceOf(WooApiError);
    // parseAs text hands back the body as is.
    const html = await client().GET('/products/{id}', {
      params: { path: { id: 'html200' as unknown as number } },
      parseAs: 'text',
    });
    expect(html.data).toContain('scheduled maintenance');
    const err = await caught(
      client().GET('/products/{id}', {
        params: { path: { id: 'truncated' as unknown as number } },
        parseAs: 'json',
      }),
    );
    expect(err).toBeInstanceOf(WooInvalidResponseError);
  });

  it('answers 204 with undefined data, not an error', async () => {
    const { data, response } = await get(client(), '204');
    expect(data).toBeUndefined();
    expect(response.status).toBe(204);
  });

  it('reports a non-envelope error body as wooapi_http_error', async () => {
    const err = (await caught(get(client(), 'teapot'))) as WooApiError;
    expect(err.code).toBe('wooapi_http_error');
    expect(err.status).toBe(418);
  });

  it('refuses a missing path parameter before sending anything', async () => {
    const before = server.requests.length;
    const err = await caught(client().GET('/products/{id}', { params: { path: {} as { id: number } } }));
    expect(err).toBeInstanceOf(WooConfigError);
    expect((err as Error).message).toMatch(/missing path parameter \{id\}/);
    expect(server.requests.length).toBe(before);
  });

  it('a network failure is a WooNetworkError', async () => {
    // A port that was just free: nothing listens there.
    const closed = await startServer(() => {});
    await closed.close();
    const woo = createWooClient({
      url: closed.url,
      consumerKey: KEY,
      consumerSecret: SECRET,
      retry: false,
    });
    const err = await caught(woo.GET('/products'));
    expect(err).toBeInstanceOf(WooNetworkError);
    expect((err as Error).message).toMatch(/ECONNREFUSED/);
  });

  // Deno's fetch rejects with no error code, only a message (the shapes below are Deno 2.9.6's, as the runtime check
  // tests/runtimes saw them under a real Deno): the client explains them as it explains Node's codes. The real Deno
  // case is tests/runtimes' connection-refused case, run under Deno when its binary is fetched.
  it('explains a failure that carries no code, as Deno reports it', async () => {
    const deno = (why: string) =>
      new TypeError('fetch failed', {
        cause: new Error(`error sending request for url (${server.url}/x): ${why}`),
      });
    const cases = [
      [
        'client error (Connect): tcp connect error: Connection refused (os error 111)',
        'ECONNREFUSED: connection refused',
      ],
      [
        'client error (Connect): dns error: failed to lookup address information: Name or service not known',
        'ENOTFOUND: DNS lookup failed',
      ],
      ['connection error: Connection reset by peer (os error 104)', 'ECONNRESET: the connection was reset'],
    ] as const;
    /** A client whose fetch throws `error`, as a runtime's fetch does. */
    const throwing = (error: Error) =>
      createWooClient({
        url: server.url,
        consumerKey: KEY,
        consumerSecret: SECRET,
        retry: false,
        fetch: async () => {
          throw error;
        },
      });
    for (const [why, explained] of cases) {
      const err = await caught(throwing(deno(why)).GET('/products'));
      expect(err).toBeInstanceOf(WooNetworkError);
      expect((err as WooNetworkError).message, why).toContain(`(${explained}`);
    }
    // A message that names no known failure is kept as it is.
    const other = throwing(new TypeError('fetch failed', { cause: new Error('something else broke') }));
    expect(((await caught(other.GET('/products'))) as Error).message).toContain('(something else broke)');
  });

  it("the raw client keeps openapi-fetch's { data, error } shape", async () => {
    const { data, error, response } = await client().raw.GET('/products/{id}', {
      params: { path: { id: 404 } },
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(404);
    expect(error).toMatchObject({ code: 'woocommerce_rest_product_invalid_id' });
  });
});

describe('no secret in any error', () => {
  it('redacts credentials a host echoes back, in every auth mode', async () => {
    for (const auth of ['oauth1', 'query', 'basic'] as const) {
      const err = await caught(get(client(auth), 'echo'));
      expect(leaks(err), auth).toEqual([]);
      // Credentials travel in the URL only with oauth1 (query placement) and query auth: those echoes are scrubbed.
      if (auth !== 'basic') expect(JSON.stringify(err)).toContain('[redacted]');
    }
  });

  it('the leak detector itself finds a leak in every rendering', () => {
    const leaky = new Error(`boom ${SECRET}`);
    expect(leaks(leaky).length).toBeGreaterThan(3);
    // Credential parameters and Basic values are scrubbed by shape, from any error.
    const shaped = new WooApiError({
      code: 'x',
      message: `boom ?consumer_key=${KEY}&consumer_secret=${SECRET} Basic ${btoa(`${KEY}:${SECRET}`)}`,
    });
    expect(leaks(shaped, [KEY, SECRET, btoa(`${KEY}:${SECRET}`)])).toEqual([]);
    expect(inspect(shaped)).toContain('consumer_secret=[redacted]');
  });
});
