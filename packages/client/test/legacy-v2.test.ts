import { createHmac } from 'node:crypto';
import { type MockServer, startMock } from '@wooapi/mock';
import type { ErrorEnvelope } from '@wooapi/types/legacy-v2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WooRedirectError, WooResponseTooLargeError, WooTimeoutError } from '../src/index.js';
import { createLegacyClient, legacyPages, legacySignatureBaseString } from '../src/legacy-v2.js';
import { caught, KEY, leaks, SECRET } from './helpers/errors.js';
import { json, startServer, type TestServer } from './helpers/server.js';

describe('createLegacyClient against the real Prism mock of the legacy document', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMock({ api: 'legacy-v2' });
  }, 90_000);
  afterAll(() => mock?.stop());

  // Over http the client signs with the legacy OAuth in the query, which satisfies the document's oauth1 scheme.
  const legacy = () => createLegacyClient({ url: mock.url, consumerKey: KEY, consumerSecret: SECRET });

  it('lists products with filter[...] and reads the X-WC-* paging headers', async () => {
    const { data, error, response } = await legacy().GET('/products', {
      params: { query: { filter: { limit: 2, order: 'DESC' }, page: 1, fields: 'id,title' } },
    });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(Array.isArray(data?.products)).toBe(true);
    expect(Number(response.headers.get('x-wc-totalpages'))).toBeGreaterThanOrEqual(0);
  });

  it('gets one order and creates a coupon in its envelope', async () => {
    const order = await legacy().GET('/orders/{id}', { params: { path: { id: 645 } } });
    expect(order.response.status).toBe(200);
    expect(order.data?.order?.order_number).toBeTypeOf('string');
    const created = await legacy().POST('/coupons', {
      body: { coupon: { code: 'save10', type: 'percent', amount: '10' } },
    });
    expect(created.response.status).toBe(201);
    expect(created.data?.coupon?.code).toBeTypeOf('string');
  });

  it('gets the errors envelope as error', async () => {
    const { error, response } = await legacy().GET('/products/{id}', {
      params: { path: { id: 1 } },
      headers: { Prefer: 'code=404' },
    });
    expect(response.status).toBe(404);
    expect((error as ErrorEnvelope).errors[0]?.code).toMatch(/^woocommerce_api_/);
  });
});

describe('createLegacyClient on the wire (a real HTTP server on 127.0.0.1)', () => {
  let store: TestServer;
  let other: TestServer;
  beforeAll(async () => {
    other = await startServer((_req, res) => json(res, 200, {}));
    store = await startServer((req, res) => {
      if (req.url?.includes('/redirect')) {
        res.writeHead(302, { location: `${other.url}/wc-api/v2/products` });
        return res.end();
      }
      json(
        res,
        200,
        { products: [] },
        {
          'x-wc-total': '12',
          'x-wc-totalpages': '6',
          // The plugin echoes every query parameter in Link, and drops the port.
          link: `<http://127.0.0.1/wc-api/v2/products?filter[limit]=2&page=2&oauth_consumer_key=${KEY}&oauth_nonce=abc&oauth_signature=xyz%3D>; rel="next"`,
        },
      );
    });
  });
  afterAll(async () => {
    await store?.close();
    await other?.close();
  });

  it('signs in the query over the /wc-api/v3 URL with the bare secret, and sends no Authorization header', async () => {
    const legacy = createLegacyClient({
      url: store.url,
      consumerKey: KEY,
      consumerSecret: SECRET,
      signatureMethod: 'HMAC-SHA1',
    });
    await legacy.GET('/products', { params: { query: { filter: { limit: 2, q: 'Zip Hoodie' } } } });
    const sent = store.requests.at(-1)!;
    expect(sent.headers.authorization).toBeUndefined();
    const url = new URL(sent.url, store.url);
    expect(url.pathname).toBe('/wc-api/v2/products');
    const oauth = Object.fromEntries([...url.searchParams].filter(([k]) => k.startsWith('oauth_')));
    expect(Object.keys(oauth).sort()).toEqual([
      'oauth_consumer_key',
      'oauth_nonce',
      'oauth_signature',
      'oauth_signature_method',
      'oauth_timestamp',
    ]);
    expect(oauth.oauth_signature_method).toBe('HMAC-SHA1');
    const { oauth_signature: signature, ...rest } = oauth;
    const requestUrl = `${store.url}/wc-api/v2/products?${[...url.searchParams]
      .filter(([k]) => !k.startsWith('oauth_'))
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join('&')}`;
    const base = legacySignatureBaseString('GET', requestUrl, rest as Record<string, string>);
    expect(base).toContain(encodeURIComponent(`${store.url}/wc-api/v3/products`));
    expect(base).toContain('filter%255Bq%255D%3DZip%2520Hoodie');
    expect(signature).toBe(createHmac('sha1', SECRET).update(base).digest('base64'));
  });

  it('removes the credentials the store echoes back in Link', async () => {
    const legacy = createLegacyClient({ url: store.url, consumerKey: KEY, consumerSecret: SECRET });
    const { response } = await legacy.GET('/products', {
      params: { query: { filter: { limit: 2 }, page: 1 } },
    });
    const link = response.headers.get('link') ?? '';
    expect(link).toContain('filter[limit]=2&page=2');
    expect(link).not.toMatch(/oauth_|ck_/);
  });

  it('does not follow a redirect to another origin with the signed query', async () => {
    const legacy = createLegacyClient({ url: store.url, consumerKey: KEY, consumerSecret: SECRET });
    const before = other.requests.length;
    const e = await caught(legacy.GET('/products/redirect' as never));
    expect(e).toBeInstanceOf(WooRedirectError);
    expect((e as WooRedirectError).data.reason).toBe('origin');
    expect(leaks(e)).toEqual([]);
    expect(other.requests.length).toBe(before);
  });

  it('sends Basic over https; refuses Basic over plain http and OAuth over https, without the secret in the error', async () => {
    const fetched: Request[] = [];
    const https = createLegacyClient({
      url: 'https://shop.example',
      consumerKey: KEY,
      consumerSecret: SECRET,
      fetch: async (r) => {
        fetched.push(r);
        return Response.json({ products: [] });
      },
    });
    expect(https.auth).toBe('basic');
    expect(https.baseUrl).toBe('https://shop.example/wc-api/v2');
    await https.GET('/products');
    expect(fetched[0]?.headers.get('authorization')).toBe(`Basic ${btoa(`${KEY}:${SECRET}`)}`);
    expect(fetched[0]?.url).toBe('https://shop.example/wc-api/v2/products');
    const basicHttp = (await caught(() =>
      createLegacyClient({
        url: 'http://shop.example',
        consumerKey: KEY,
        consumerSecret: SECRET,
        auth: 'basic',
      }),
    )) as Error;
    expect(basicHttp.message).toMatch(/refusing to send Basic credentials over plain http to shop\.example/);
    const oauthHttps = (await caught(() =>
      createLegacyClient({
        url: 'https://shop.example',
        consumerKey: KEY,
        consumerSecret: SECRET,
        auth: 'oauth1',
      }),
    )) as Error;
    expect(oauthHttps.message).toMatch(/OAuth 1\.0a only over plain http/);
    const missing = (await caught(() =>
      createLegacyClient({ url: 'https://shop.example', consumerKey: KEY } as never),
    )) as Error;
    expect(missing.message).toMatch(/consumerSecret is missing/);
  });
});

describe('legacyPages: every page by page number and X-WC-TotalPages', () => {
  let store: TestServer;
  const products = Array.from({ length: 5 }, (_, i) => ({ id: 100 - i, title: `P${i}` }));
  beforeAll(async () => {
    store = await startServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.searchParams.get('filter[q]') === 'boom')
        return json(res, 404, {
          errors: [{ code: 'woocommerce_api_authentication_error', message: 'Consumer key is missing.' }],
        });
      const limit = Number(url.searchParams.get('filter[limit]') ?? 10);
      const page = Number(url.searchParams.get('page') ?? 1);
      const pages = Math.ceil(products.length / limit);
      const slice = products.slice((page - 1) * limit, page * limit);
      // As the plugin does: Link URLs without the port, which a client must not follow.
      const next: Record<string, string> =
        page < pages
          ? {
              link: `<http://127.0.0.1/wc-api/v2/products?filter[limit]=${limit}&page=${page + 1}>; rel="next"`,
            }
          : {};
      json(
        res,
        200,
        { products: slice },
        {
          'x-wc-total': String(slice.length ? products.length : 0),
          'x-wc-totalpages': String(slice.length ? pages : 0),
          ...next,
        },
      );
    });
  });
  afterAll(() => store?.close());

  it("walks the pages on the store's own port, not the Link URLs", async () => {
    const legacy = createLegacyClient({ url: store.url, consumerKey: KEY, consumerSecret: SECRET });
    const seen: number[] = [];
    const ids: number[] = [];
    for await (const p of legacyPages(legacy, '/products', { params: { query: { filter: { limit: 2 } } } })) {
      seen.push(p.page);
      ids.push(...p.items.map((x) => x.id as number));
      expect(p.totalPages).toBe(3);
      expect(p.total).toBe(5);
    }
    expect(seen).toEqual([1, 2, 3]);
    expect(ids).toEqual([100, 99, 98, 97, 96]);
    expect(store.requests.map((r) => new URL(r.url, store.url).searchParams.get('page'))).toEqual([
      '1',
      '2',
      '3',
    ]);
  });

  it("throws the envelope's code as a WooApiError, without the credentials", async () => {
    const legacy = createLegacyClient({ url: store.url, consumerKey: KEY, consumerSecret: SECRET });
    const e = (await caught(async () => {
      for await (const _ of legacyPages(legacy, '/products', {
        params: { query: { filter: { q: 'boom' } } },
      }))
        void _;
    })) as { code: string; status: number };
    expect(e.code).toBe('woocommerce_api_authentication_error');
    expect(e.status).toBe(404);
  });
});

describe('createLegacyClient against a hostile store (real servers on 127.0.0.1)', () => {
  let store: TestServer | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });
  const legacyAt = (url: string, extra: Record<string, unknown> = {}) =>
    createLegacyClient({ url, consumerKey: KEY, consumerSecret: SECRET, ...extra });

  it('gives up on a store that never answers after the timeout, with a typed error and no credentials', async () => {
    store = await startServer(() => new Promise(() => {}));
    const started = Date.now();
    const e = await caught(legacyAt(store.url, { timeout: 300, retry: false }).GET('/products'));
    expect(e).toBeInstanceOf(WooTimeoutError);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(leaks(e)).toEqual([]);
  });

  it('stops reading an endless body at maxResponseBytes', async () => {
    store = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"products":[');
      const chunk = `${'{"id":1},'.repeat(1000)}`;
      const pump = () => {
        while (res.write(chunk));
        res.once('drain', pump);
      };
      pump();
    });
    const e = await caught(legacyAt(store.url, { maxResponseBytes: 256 * 1024 }).GET('/products'));
    expect(e).toBeInstanceOf(WooResponseTooLargeError);
    expect((e as WooResponseTooLargeError).message).toMatch(/larger than maxResponseBytes \(262144 bytes/);
  });

  it('retries a 503 and follows a same-origin redirect, signing each request afresh', async () => {
    store = await startServer((req, res, n) => {
      if (n === 1) return json(res, 503, { errors: [{ code: 'busy', message: 'busy' }] });
      if (req.url?.startsWith('/wc-api/v2/products?')) {
        res.writeHead(301, { location: '/wc-api/v2/products/all?page=1' });
        return res.end();
      }
      json(res, 200, { products: [{ id: 7 }] });
    });
    const { data, response } = await legacyAt(store.url, {
      retry: { baseDelayMs: 1 },
    }).GET('/products', { params: { query: { page: 1 } } });
    expect(response.status).toBe(200);
    expect(data?.products?.map((p) => p.id)).toEqual([7]);
    const sent = store.requests.map((r) => new URL(r.url, store!.url));
    expect(sent.map((u) => u.pathname)).toEqual([
      '/wc-api/v2/products',
      '/wc-api/v2/products',
      '/wc-api/v2/products/all',
    ]);
    // Three signatures, three nonces: a retry or a redirect never replays a signed URL.
    expect(new Set(sent.map((u) => u.searchParams.get('oauth_nonce'))).size).toBe(3);
    // The redirected request carries one signature, over its own URL.
    const last = sent[2]!;
    expect(last.searchParams.getAll('oauth_signature')).toHaveLength(1);
    const { oauth_signature: signature, ...rest } = Object.fromEntries(
      [...last.searchParams].filter(([k]) => k.startsWith('oauth_')),
    );
    const base = legacySignatureBaseString('GET', `${store.url}/wc-api/v2/products/all?page=1`, rest);
    expect(signature).toBe(createHmac('sha256', SECRET).update(base).digest('base64'));
  });

  it('refuses bad transport options with a message that names them', async () => {
    for (const [extra, message] of [
      [{ timeout: -1 }, /timeout must be milliseconds >= 0/],
      [{ maxResponseBytes: 0 }, /maxResponseBytes must be an integer >= 1/],
      [{ maxRedirects: 1.5 }, /maxRedirects must be an integer >= 0/],
      [{ retry: { maxAttempts: 0 } }, /retry.maxAttempts must be an integer >= 1/],
    ] as const) {
      const e = (await caught(() => legacyAt('http://127.0.0.1:1', extra))) as Error;
      expect(e.message).toMatch(message);
    }
  });
});
