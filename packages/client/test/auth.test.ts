import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authMiddleware, createAuthenticator, createWooClient, WooConfigError } from '../src/index.js';
import { APP_PASSWORD, caught, KEY, SECRET } from './helpers/errors.js';
import { json, startServer, type TestServer } from './helpers/server.js';

/** Server side of OAuth: recompute the signature of what arrived, with oauth-1.0a as the independent verifier. */
function verifyOAuth(
  method: string,
  fullUrl: string,
  authorization: string | undefined,
): { ok: boolean; params: Record<string, string> } {
  const u = new URL(fullUrl);
  const params: Record<string, string> = {};
  for (const [k, v] of [...u.searchParams]) if (k.startsWith('oauth_')) params[k] = v;
  if (authorization?.startsWith('OAuth ')) {
    for (const m of authorization.matchAll(/(oauth_[a-z_]+)="([^"]*)"/g))
      params[m[1]!] = decodeURIComponent(m[2]!);
  }
  const rest = [...u.searchParams].filter(([k]) => !k.startsWith('oauth_'));
  const url = `${u.origin}${u.pathname}${rest.length ? `?${new URLSearchParams(rest).toString().replace(/\+/g, '%20')}` : ''}`;
  const { oauth_signature, ...unsigned } = params;
  const algo = unsigned.oauth_signature_method === 'HMAC-SHA1' ? 'sha1' : 'sha256';
  const o = new OAuth({
    consumer: { key: KEY, secret: SECRET },
    signature_method: unsigned.oauth_signature_method ?? '',
    hash_function: (base, key) => createHmac(algo, key).update(base).digest('base64'),
  });
  const expected = o.getSignature({ url, method, data: {} }, '', unsigned as unknown as OAuth.Data);
  return { ok: expected === oauth_signature, params };
}

let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    const full = `${server.url}${req.url}`;
    const auth = req.headers.authorization;
    if (auth?.startsWith('Basic ')) {
      return json(res, 200, { scheme: 'basic', user: Buffer.from(auth.slice(6), 'base64').toString() });
    }
    if (full.includes('oauth_') || auth?.startsWith('OAuth ')) {
      const v = verifyOAuth(req.method ?? 'GET', full, auth);
      if (!v.ok)
        return json(res, 401, {
          code: 'woocommerce_rest_authentication_error',
          message: 'Invalid signature - provided signature does not match.',
          data: { status: 401 },
        });
      return json(res, 200, {
        scheme: 'oauth1',
        method: v.params.oauth_signature_method,
        inQuery: full.includes('oauth_signature='),
      });
    }
    if (full.includes('consumer_key=')) return json(res, 200, { scheme: 'query' });
    return json(res, 401, {
      code: 'woocommerce_rest_cannot_view',
      message: 'Sorry, you cannot list resources.',
      data: { status: 401 },
    });
  });
});
afterAll(() => server.close());

const store = () => server.url;

describe('auth modes against a real server', () => {
  it('auto picks OAuth 1.0a (HMAC-SHA256, in the query) for an http store, and the server verifies it', async () => {
    const woo = createWooClient({ url: store(), consumerKey: KEY, consumerSecret: SECRET });
    expect(woo.auth).toBe('oauth1');
    const { data } = await woo.GET('/products', {
      params: { query: { include: [1, 2, 3], search: 'blue shirt!' } },
    });
    expect(data).toEqual({ scheme: 'oauth1', method: 'HMAC-SHA256', inQuery: true });
    const sent = server.requests.at(-1)!;
    expect(sent.url).toContain('include=1,2,3');
    expect(sent.url).not.toContain(SECRET);
  });

  it('signs with HMAC-SHA1 in an Authorization: OAuth header on request', async () => {
    const woo = createWooClient({
      url: store(),
      consumerKey: KEY,
      consumerSecret: SECRET,
      auth: 'oauth1',
      oauth: { signatureMethod: 'HMAC-SHA1', placement: 'header' },
    });
    const { data } = await woo.GET('/products/{id}', {
      params: { path: { id: 794 }, query: { context: 'edit' } },
    });
    expect(data).toEqual({ scheme: 'oauth1', method: 'HMAC-SHA1', inQuery: false });
    expect(server.requests.at(-1)!.headers.authorization).toMatch(/^OAuth oauth_consumer_key="ck_/);
  });

  it('auto picks Basic for an https store', () => {
    const woo = createWooClient({ url: 'https://example.com', consumerKey: KEY, consumerSecret: SECRET });
    expect(woo.auth).toBe('basic');
    expect(woo.baseUrl).toBe('https://example.com/wp-json/wc/v3');
  });

  it('sends Basic to a loopback store only when allowInsecureLoopback is set', async () => {
    const err = await caught(() =>
      createWooClient({ url: store(), consumerKey: KEY, consumerSecret: SECRET, auth: 'basic' }),
    );
    expect(err).toBeInstanceOf(WooConfigError);
    expect((err as Error).message).toMatch(
      /refusing to send basic credentials over plain http.*allowInsecureLoopback/,
    );
    const woo = createWooClient({
      url: store(),
      consumerKey: KEY,
      consumerSecret: SECRET,
      auth: 'basic',
      allowInsecureLoopback: true,
    });
    const { data } = await woo.GET('/products');
    expect(data).toEqual({ scheme: 'basic', user: `${KEY}:${SECRET}` });
  });

  it('never sends Basic or query credentials over http to a non-loopback host, even with the opt-in', async () => {
    for (const auth of ['basic', 'query'] as const) {
      const err = await caught(() =>
        createWooClient({
          url: 'http://shop.example.com',
          consumerKey: KEY,
          consumerSecret: SECRET,
          auth,
          allowInsecureLoopback: true,
        }),
      );
      expect((err as WooConfigError).code).toBe('wooapi_invalid_config');
      expect((err as Error).message).toMatch(/only applies to localhost/);
    }
  });

  it('puts consumer_key/consumer_secret in the query only when chosen explicitly', async () => {
    const woo = createWooClient({
      url: store(),
      consumerKey: KEY,
      consumerSecret: SECRET,
      auth: 'query',
      allowInsecureLoopback: true,
    });
    const { data } = await woo.GET('/products');
    expect(data).toEqual({ scheme: 'query' });
    expect(server.requests.at(-1)!.url).toContain(`consumer_secret=${SECRET}`);
  });

  it('sends a WordPress Application Password as Basic, spaces removed', async () => {
    const woo = createWooClient({
      url: store(),
      auth: { type: 'application-password', username: 'shop-manager', password: APP_PASSWORD },
      allowInsecureLoopback: true,
    });
    const { data } = await woo.GET('/products');
    expect(data).toEqual({ scheme: 'basic', user: `shop-manager:${APP_PASSWORD.replace(/ /g, '')}` });
  });

  it('rejects bad options with a clear message', async () => {
    const bad: [unknown, RegExp][] = [
      [{ url: 'example.com', consumerKey: KEY, consumerSecret: SECRET }, /http\(s\) root URL/],
      [{ url: 'ftp://example.com', consumerKey: KEY, consumerSecret: SECRET }, /https/],
      [{ url: 'https://example.com' }, /needs consumerKey and consumerSecret.*consumerKey is missing/],
      [{ url: 'https://example.com', consumerKey: KEY }, /consumerSecret is missing/],
      [
        { url: 'https://example.com', consumerKey: KEY, consumerSecret: SECRET, auth: 'digest' },
        /auth must be/,
      ],
      [
        { url: 'https://example.com', auth: { type: 'application-password', username: 'x' } },
        /needs a username and password/,
      ],
      [
        { url: 'http://example.com', consumerKey: KEY, consumerSecret: SECRET, oauth: { placement: 'body' } },
        /placement/,
      ],
      [{ url: 'https://example.com', consumerKey: KEY, consumerSecret: SECRET, timeout: -1 }, /timeout/],
    ];
    for (const [options, message] of bad) {
      const err = await caught(() => createWooClient(options as never));
      expect(err, JSON.stringify(options)).toBeInstanceOf(WooConfigError);
      expect((err as Error).message).toMatch(message);
    }
  });

  it('keeps a URL that already ends with /wp-json/wc/v3 and supports sub-folder installs', () => {
    const a = createWooClient({
      url: 'https://example.com/wp-json/wc/v3/',
      consumerKey: KEY,
      consumerSecret: SECRET,
    });
    const b = createWooClient({ url: 'https://example.com/shop/', consumerKey: KEY, consumerSecret: SECRET });
    expect(a.baseUrl).toBe('https://example.com/wp-json/wc/v3');
    expect(b.baseUrl).toBe('https://example.com/shop/wp-json/wc/v3');
  });

  it('answers 401 from a store as a typed error when no credentials work', async () => {
    const woo = createWooClient({
      url: store(),
      consumerKey: KEY,
      consumerSecret: `${SECRET}x`,
      auth: 'oauth1',
    });
    const err = (await caught(woo.GET('/products'))) as { code: string; status: number };
    expect(err.code).toBe('woocommerce_rest_authentication_error');
    expect(err.status).toBe(401);
  });
});

describe('authMiddleware on a plain openapi-fetch client', () => {
  const plain = (auth: 'basic' | 'oauth1' | 'query') => {
    const baseUrl = new URL(`${store()}/wp-json/wc/v3`);
    const c = createClient<Record<string, never>>({ baseUrl: baseUrl.href });
    c.use(
      authMiddleware(
        createAuthenticator({
          baseUrl,
          consumerKey: KEY,
          consumerSecret: SECRET,
          auth,
          allowInsecureLoopback: true,
        }),
      ),
    );
    return c as unknown as {
      GET(p: string, i?: unknown): Promise<{ data?: unknown; response: Response }>;
    };
  };

  it('sets Basic in place, signs OAuth afresh in the query (an earlier signature replaced), and hides the URL', async () => {
    expect((await plain('basic').GET('/products')).data).toEqual({
      scheme: 'basic',
      user: `${KEY}:${SECRET}`,
    });
    const signed = await plain('oauth1').GET('/products', {
      params: { query: { page: 2, oauth_signature: 'stale', oauth_nonce: 'old' } },
    });
    // The server recomputed the signature of what arrived (oauth-1.0a): valid, so the stale parameters are gone.
    expect(signed.data).toEqual({ scheme: 'oauth1', method: 'HMAC-SHA256', inQuery: true });
    const sent = new URL(server.requests.at(-1)!.url, store());
    expect(sent.searchParams.get('page')).toBe('2');
    expect(sent.searchParams.getAll('oauth_signature')).toHaveLength(1);
    expect(sent.searchParams.get('oauth_nonce')).not.toBe('old');
    // Credentials travel in the URL: the response the caller gets does not show it.
    expect(signed.response.url).not.toMatch(/oauth_/);
    const query = await plain('query').GET('/products');
    expect(query.data).toEqual({ scheme: 'query' });
    expect(query.response.url).not.toContain(SECRET);
  });
});
