// Issue 10 item 1: redirects are handled by the client, never by fetch. Each case is a real server on 127.0.0.1
// answering a redirect; a second server plays "another origin" and must never see a request.
import { afterEach, describe, expect, it } from 'vitest';
import { createWooClient, type WooClientOptions, WooRedirectError } from '../src/index.js';
import { basicClient } from './helpers/client.js';
import { caught, KEY, SECRET } from './helpers/errors.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
const serve = async (handler: Parameters<typeof startServer>[0]) => {
  const s = await startServer(handler);
  servers.push(s);
  return s;
};

const client = (url: string, extra: Partial<WooClientOptions> = {}) =>
  basicClient(url, { retry: false, ...extra });

const redirect = (res: import('node:http').ServerResponse, status: number, location: string) => {
  res.writeHead(status, { location, 'content-type': 'text/html' });
  res.end('<a>moved</a>');
};

describe('redirects', () => {
  it('follows a same-origin redirect of a GET, authenticated again for the new URL', async () => {
    const store = await serve((req, res) => {
      if (req.url?.startsWith('/wp-json/wc/v3/products?'))
        return redirect(res, 301, '/wp-json/wc/v3/products/?page=1');
      json(res, 200, [{ id: 1 }]);
    });
    const { data } = await client(store.url).GET('/products', { params: { query: { page: 1 } } });
    expect(data).toEqual([{ id: 1 }]);
    expect(store.requests.map((r) => r.url)).toEqual([
      '/wp-json/wc/v3/products?page=1',
      '/wp-json/wc/v3/products/?page=1',
    ]);
    expect(store.requests[1]!.headers.authorization).toBe(`Basic ${btoa(`${KEY}:${SECRET}`)}`);
  });

  it('re-signs OAuth for the redirect target: one fresh signature, no stale oauth_* parameters', async () => {
    const store = await serve((req, res) => {
      if (!req.url?.includes('/products/')) {
        // Echo the whole query (signature included) into Location, as a careless redirect does.
        const q = req.url!.split('?')[1];
        return redirect(res, 302, `/wp-json/wc/v3/products/?${q}`);
      }
      json(res, 200, []);
    });
    const woo = createWooClient({ url: store.url, consumerKey: KEY, consumerSecret: SECRET, retry: false });
    await woo.GET('/products', { params: { query: { per_page: 5 } } });
    const [first, second] = store.requests.map((r) => new URL(r.url, 'http://x').searchParams);
    expect(second!.getAll('oauth_signature')).toHaveLength(1);
    expect(second!.getAll('oauth_nonce')).toHaveLength(1);
    expect(second!.get('oauth_nonce')).not.toBe(first!.get('oauth_nonce'));
    expect(second!.get('per_page')).toBe('5');
  });

  it('never sends credentials to another origin: query keys stay home, the error names the scrubbed Location', async () => {
    const other = await serve((_req, res) => json(res, 200, [{ id: 666, name: 'not the store' }]));
    const store = await serve((req, res) => redirect(res, 301, `${other.url}${req.url}`));
    const woo = client(store.url, { auth: 'query' });
    const err = (await caught(woo.GET('/products'))) as WooRedirectError;
    expect(err).toBeInstanceOf(WooRedirectError);
    expect(err.code).toBe('wooapi_redirect');
    expect(err.data.reason).toBe('origin');
    expect(other.requests).toHaveLength(0);
    expect(err.message).toContain(`${other.url}/wp-json/wc/v3/products`);
    expect(err.message).toMatch(/Use the final URL as `url`: http:\/\/127\.0\.0\.1:\d+\./);
    expect(JSON.stringify(err)).not.toContain(SECRET);
    expect(String(err.data.location)).not.toMatch(/consumer_secret/);
  });

  it('never follows a redirect from https to plain http', async () => {
    const plain = await serve((_req, res) => json(res, 200, []));
    // The store "is" https://store.test; a fetch that routes that host to a local server (no TLS on loopback here).
    const tls = await serve((req, res) => redirect(res, 301, `http://store.test${req.url}`));
    const woo = createWooClient({
      url: 'https://store.test',
      consumerKey: KEY,
      consumerSecret: SECRET,
      retry: false,
      fetch: (r) => fetch(new Request(r.url.replace(/^https?:\/\/store\.test/, tls.url), r)),
    });
    const err = (await caught(woo.GET('/products'))) as WooRedirectError;
    expect(err).toBeInstanceOf(WooRedirectError);
    expect(err.data.reason).toBe('downgrade');
    expect(err.message).toMatch(/from https to plain http/);
    expect(tls.requests).toHaveLength(1);
    expect(plain.requests).toHaveLength(0);
  });

  it('never re-sends a write to a redirect: POST through 301, 302, 303, 307, 308 is a typed error', async () => {
    for (const status of [301, 302, 303, 307, 308]) {
      const store = await serve((req, res) =>
        req.method !== 'GET'
          ? redirect(res, status, '/wp-json/wc/v3/products/')
          : json(res, 200, [{ id: 1, name: 'a list, not the created product' }]),
      );
      const err = (await caught(
        client(store.url).POST('/products', { body: { name: 'Hoodie' } }),
      )) as WooRedirectError;
      expect(err, String(status)).toBeInstanceOf(WooRedirectError);
      expect(err.status).toBe(status);
      expect(err.data.reason).toBe('write');
      expect(err.message).toMatch(/a write is never re-sent to a redirect/);
      expect(store.requests.map((r) => r.method)).toEqual(['POST']);
      const put = await caught(
        client(store.url).PUT('/products/{id}', { params: { path: { id: 1 } }, body: { name: 'x' } }),
      );
      expect(put).toBeInstanceOf(WooRedirectError);
      expect(store.requests.map((r) => r.method)).toEqual(['POST', 'PUT']);
    }
  });

  it('gives up on a redirect loop after maxRedirects', async () => {
    const store = await serve((req, res) => redirect(res, 302, `${req.url}x`));
    const err = (await caught(client(store.url, { maxRedirects: 3 }).GET('/products'))) as WooRedirectError;
    expect(err).toBeInstanceOf(WooRedirectError);
    expect(err.data.reason).toBe('count');
    expect(store.requests).toHaveLength(4);
    const none = (await caught(client(store.url, { maxRedirects: 0 }).GET('/products'))) as WooRedirectError;
    expect(none.data.reason).toBe('count');
  });

  it('suggests the store root when a store moves to www', async () => {
    const store = await serve((req, res) => redirect(res, 301, `http://www.shop.example${req.url}`));
    const err = (await caught(client(store.url).GET('/products'))) as WooRedirectError;
    expect(err.message).toContain('Use the final URL as `url`: http://www.shop.example.');
  });
});
