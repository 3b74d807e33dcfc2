// Issue 10 items 5-7: secrets echoed in every encoded form, huge bodies, and errors that show the mistake. Each case
// is a real server on 127.0.0.1 that misbehaves the way a store, a proxy or a host does.
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createWooClient,
  DEFAULT_MAX_RESPONSE_BYTES,
  WooApiError,
  WooConfigError,
  WooNetworkError,
  WooResponseTooLargeError,
} from '../src/index.js';
import { DIST_INDEX, runModule } from './helpers/child.js';
import { APP_PASSWORD, caught, KEY, leaks, SECRET } from './helpers/errors.js';
import { type Handler, json, startServer, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
const serve = async (h: Handler) => {
  server = await startServer(h);
  return server;
};
const opts = { consumerKey: KEY, consumerSecret: SECRET, allowInsecureLoopback: true, retry: false } as const;

describe('secrets echoed back in any encoding', () => {
  // A proxy that echoes the request's headers and URL into its error body, raw and percent-encoded.
  const echo: Handler = (req, res) =>
    json(res, 502, {
      code: 'proxy_error',
      message: `upstream refused ${req.headers.authorization} for ${req.url}`,
      data: {
        status: 502,
        authorization: req.headers.authorization,
        encoded: encodeURIComponent(req.headers.authorization ?? ''),
        url: req.url,
      },
    });

  it('scrubs base64(ck:cs), base64(user:app-password), OAuth header values and their encoded forms', async () => {
    const { url } = await serve(echo);
    const clients = [
      createWooClient({ url, ...opts, auth: 'basic' }),
      createWooClient({
        url,
        ...opts,
        auth: { type: 'application-password', username: 'ann', password: APP_PASSWORD },
      }),
      createWooClient({ url, ...opts, auth: 'oauth1', oauth: { placement: 'header' } }),
      createWooClient({ url, ...opts, auth: 'oauth1' }),
      createWooClient({ url, ...opts, auth: 'query' }),
    ];
    const pair = btoa(`${KEY}:${SECRET}`);
    const app = btoa(`ann:${APP_PASSWORD.replace(/\s+/g, '')}`);
    for (const [k, woo] of clients.entries()) {
      const err = await caught(woo.GET('/products'));
      expect(err, String(k)).toBeInstanceOf(WooApiError);
      const sent = server!.requests.at(-1)!;
      const signature =
        /oauth_signature="([^"]+)"/.exec(sent.headers.authorization ?? '')?.[1] ??
        new URL(sent.url, 'http://x').searchParams.get('oauth_signature') ??
        undefined;
      const forms = [KEY, SECRET, APP_PASSWORD.replace(/\s+/g, ''), pair, app, encodeURIComponent(pair)];
      if (signature) forms.push(signature, decodeURIComponent(signature), encodeURIComponent(signature));
      expect(leaks(err, forms), `client ${k}`).toEqual([]);
    }
  });

  it('scrubs every encoded form from an error built before the error chunk ever loaded (a batch item in a 200)', () => {
    // A fresh process: nothing has failed yet, so the `fail` chunk was never loaded. A proxy echoes the Authorization
    // header, URL-encoded, into a per-item error of a 200 batch answer (built by batch.ts, in the entry).
    const script = `
      import { createServer } from 'node:http';
      const s = createServer((q, r) => {
        let body = '';
        q.on('data', (c) => (body += c));
        q.on('end', () => {
          // The bare token, URL-encoded (a proxy logging \`token=...\`): \`...OA%3D%3D\`, no \`Basic\` before it.
          const echoed = 'token=' + encodeURIComponent(q.headers.authorization.slice(6));
          r.writeHead(200, { 'content-type': 'application/json' });
          r.end(JSON.stringify({ create: [{ id: 0, error: { code: 'proxy', message: 'saw ' + echoed, data: { status: 400, raw: q.headers.authorization } } }] }));
        });
      });
      await new Promise((ok) => s.listen(0, '127.0.0.1', ok));
      const { createWooClient, batch } = await import(${JSON.stringify(DIST_INDEX)});
      const woo = createWooClient({ url: 'http://127.0.0.1:' + s.address().port, auth: { type: 'application-password', username: 'ann', password: ${JSON.stringify(APP_PASSWORD)} }, allowInsecureLoopback: true });
      const result = await batch(woo, '/products/batch', { create: [{ name: 'x' }] });
      s.close();
      const e = result.errors[0].error;
      console.log(JSON.stringify({ message: e.message, data: e.data, json: JSON.stringify(e) }));`;
    const out = runModule(script);
    const seen = JSON.parse(out) as { message: string };
    const pair = btoa(`ann:${APP_PASSWORD.replace(/\s+/g, '')}`);
    expect(encodeURIComponent(pair)).not.toBe(pair); // the test means something: the encoded form differs
    expect(seen.message).toContain('saw token=[redacted]');
    for (const form of [pair, encodeURIComponent(pair), pair.replace(/=+$/, '')])
      expect(out.includes(form), form).toBe(false);
  });

  it('scrubs per client: the forms are a small fixed list owned by each client, not a process-wide set', async () => {
    const { url } = await serve(echo);
    // Thousands of clients with other secrets: nothing accumulates, and each client scrubs its own.
    for (let i = 0; i < 5000; i++)
      createWooClient({ url: 'https://x.example', consumerKey: `ck_${i}`, consumerSecret: `cs_other_${i}` });
    const woo = createWooClient({ url, ...opts, auth: 'basic' });
    const err = await caught(woo.GET('/products'));
    expect(leaks(err)).toEqual([]);
    const { contextOf } = await import('../src/client.js');
    expect(contextOf(woo)!.secrets.length).toBeLessThanOrEqual(12);
  });
});

describe('response size', () => {
  const endless: Handler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (res.write(chunk));
    };
    res.on('drain', pump);
    res.write('[');
    pump();
  };

  it('stops reading an endless body at maxResponseBytes, with a typed error', async () => {
    const { url } = await serve(endless);
    const woo = createWooClient({ url, ...opts, auth: 'basic', maxResponseBytes: 1024 * 1024 });
    const err = (await caught(woo.GET('/products'))) as WooResponseTooLargeError;
    expect(err).toBeInstanceOf(WooResponseTooLargeError);
    expect(err.code).toBe('wooapi_response_too_large');
    expect(err.message).toMatch(/larger than maxResponseBytes \(1048576 bytes/);
    // The raw client is capped the same way.
    const raw = await caught(woo.raw.GET('/products'));
    expect(raw).toBeInstanceOf(WooResponseTooLargeError);
  });

  it('refuses at once a body declared larger than the cap', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(2 ** 31) });
      res.write('[');
    });
    const woo = createWooClient({ url, ...opts, auth: 'basic', maxResponseBytes: 1000 });
    const err = (await caught(woo.GET('/products'))) as WooResponseTooLargeError;
    expect(err.message).toMatch(/the store declares 2147483648/);
  });

  // A gzip bomb: Content-Length counts the compressed bytes (8 kB here), the runtime inflates them to 8 MiB.
  it('caps the inflated body of a compressed answer, not its declared (compressed) length', async () => {
    const inflated = Buffer.alloc(8 * 1024 * 1024, 0x20);
    inflated[0] = 0x5b;
    inflated[inflated.length - 1] = 0x5d;
    const bomb = gzipSync(inflated, { level: 9 });
    expect(bomb.length).toBeLessThan(64 * 1024);
    const { url } = await serve((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': String(bomb.length),
      });
      res.end(bomb);
    });
    const woo = createWooClient({ url, ...opts, auth: 'basic', maxResponseBytes: 1024 * 1024 });
    const err = (await caught(woo.GET('/products'))) as WooResponseTooLargeError;
    expect(err).toBeInstanceOf(WooResponseTooLargeError);
    expect(err.message).toMatch(/more than 1048576 bytes arrived/);
    // The same compressed answer within the cap is read and parsed (an empty list inside 8 MiB of spaces).
    const roomy = createWooClient({ url, ...opts, auth: 'basic', maxResponseBytes: 16 * 1024 * 1024 });
    expect((await roomy.GET('/products')).data).toEqual([]);
  });

  it('has a default cap of 32 MiB', async () => {
    const { url } = await serve(endless);
    const woo = createWooClient({ url, ...opts, auth: 'basic' });
    const err = (await caught(woo.GET('/products'))) as WooResponseTooLargeError;
    expect(err).toBeInstanceOf(WooResponseTooLargeError);
    expect(err.data.maxResponseBytes).toBe(DEFAULT_MAX_RESPONSE_BYTES);
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(32 * 1024 * 1024);
    const bad = await caught(() => createWooClient({ url, ...opts, auth: 'basic', maxResponseBytes: 0 }));
    expect(bad).toBeInstanceOf(WooConfigError);
  });
});

describe('errors that show the mistake', () => {
  it('completes a URL that ends with /wp-json, and refuses one naming another API', async () => {
    const ok = createWooClient({ url: 'https://shop.example/wp-json/', ...opts });
    expect(ok.baseUrl).toBe('https://shop.example/wp-json/wc/v3');
    expect(createWooClient({ url: 'https://shop.example/blog/wp-json', ...opts }).baseUrl).toBe(
      'https://shop.example/blog/wp-json/wc/v3',
    );
    for (const [url, api] of [
      ['https://shop.example/wp-json/wc/v2', '/wp-json/wc/v2'],
      ['https://shop.example/wp-json/wp/v2/', '/wp-json/wp/v2'],
      ['https://shop.example/wc-api/v3', '/wc-api/v3'],
    ] as const) {
      const err = (await caught(() => createWooClient({ url, ...opts }))) as WooConfigError;
      expect(err, url).toBeInstanceOf(WooConfigError);
      expect(err.message).toContain(`names the API ${api}, but this client speaks /wp-json/wc/v3`);
      expect(err.message).toContain("give the store's root URL (https://shop.example)");
    }
  });

  it('a network failure names the host and what failed, and the attempts', async () => {
    const closed = await startServer(() => {});
    await closed.close();
    const woo = createWooClient({
      url: closed.url,
      ...opts,
      auth: 'basic',
      retry: { maxAttempts: 2, baseDelayMs: 1 },
    });
    const err = (await caught(woo.GET('/products'))) as WooNetworkError;
    expect(err).toBeInstanceOf(WooNetworkError);
    const host = new URL(closed.url).host;
    expect(err.host).toBe(host);
    expect(err.message).toMatch(
      new RegExp(
        `network failure reaching ${host} \\(ECONNREFUSED: connection refused: nothing listens there.*\\) after 2 attempts over`,
      ),
    );
  });

  it('a 401 adds the likely fixes', async () => {
    const { url } = await serve((_req, res) =>
      json(res, 401, {
        code: 'woocommerce_rest_authentication_error',
        message: 'The API key provided does not have write permissions.',
        data: { status: 401 },
      }),
    );
    const write = (await caught(
      createWooClient({ url, ...opts, auth: 'basic' }).POST('/products', { body: { name: 'x' } }),
    )) as WooApiError;
    expect(write.code).toBe('woocommerce_rest_authentication_error');
    expect(write.message).toMatch(/likely fixes: a key with Read permission cannot write/);
    expect(write.message).toMatch(/WooCommerce ignores Basic auth over plain http/);
    expect(write.data.hints).toBeInstanceOf(Array);
    const swapped = (await caught(
      createWooClient({ url, ...opts, consumerKey: SECRET, consumerSecret: KEY }).GET('/products'),
    )) as WooApiError;
    expect(swapped.message).toMatch(/consumerKey and consumerSecret look swapped/);
    expect(swapped.message).not.toMatch(/cannot write/);
  });
});
