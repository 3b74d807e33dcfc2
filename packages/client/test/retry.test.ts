import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createWooClient,
  type RetryInfo,
  WooAbortError,
  WooApiError,
  WooNetworkError,
  WooTimeoutError,
} from '../src/index.js';
import { caught, KEY, record, SECRET } from './helpers/errors.js';
import {
  type Handler,
  json,
  recordingSleep,
  startServer,
  type TestServer,
  wooError,
} from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(
  handler: Handler,
  extra: Parameters<typeof createWooClient>[0] extends infer O ? Partial<O> : never = {},
) {
  server = await startServer(handler);
  const { waits, sleep } = recordingSleep();
  const retries: RetryInfo[] = [];
  const woo = createWooClient({
    url: server.url,
    consumerKey: KEY,
    consumerSecret: SECRET,
    auth: 'basic',
    allowInsecureLoopback: true,
    ...extra,
    retry: {
      sleep,
      random: () => 0.5,
      onRetry: (i) => {
        retries.push(i);
        if (i.error) record(i.error);
      },
      ...(extra.retry || {}),
    },
  });
  return { woo, waits, retries, srv: server };
}

describe('retries', () => {
  it('honours Retry-After on 429 and then succeeds', async () => {
    const { woo, waits, srv } = await setup((_req, res, n) => {
      if (n === 1)
        return json(
          res,
          429,
          { code: 'rate_limited', message: 'Slow down', data: { status: 429 } },
          { 'retry-after': '2' },
        );
      return json(res, 200, [{ id: 1 }]);
    });
    const { data } = await woo.GET('/products');
    expect(data).toEqual([{ id: 1 }]);
    expect(srv.requests).toHaveLength(2);
    expect(waits).toEqual([2000]);
  });

  it('reads Retry-After as an HTTP date too', async () => {
    const { woo, waits } = await setup((_req, res, n) => {
      if (n === 1) return json(res, 503, {}, { 'retry-after': new Date(Date.now() + 5000).toUTCString() });
      return json(res, 200, []);
    });
    await woo.GET('/products');
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(2000);
    expect(waits[0]).toBeLessThanOrEqual(5000);
  });

  it('backs off exponentially with jitter through a 503 storm, then gives up with the typed error', async () => {
    const { woo, waits, retries, srv } = await setup(
      (_req, res) => wooError(res, 503, 'service_unavailable', 'Maintenance'),
      { retry: { maxAttempts: 4, baseDelayMs: 100 } },
    );
    const err = await caught(woo.GET('/products'));
    expect(err).toBeInstanceOf(WooApiError);
    expect((err as WooApiError).status).toBe(503);
    expect((err as WooApiError).code).toBe('service_unavailable');
    expect(srv.requests).toHaveLength(4);
    // random() = 0.5: half of 100, 200, 400.
    expect(waits).toEqual([50, 100, 200]);
    expect(retries.map((r) => [r.attempt, r.status])).toEqual([
      [2, 503],
      [3, 503],
      [4, 503],
    ]);
  });

  it('does not wait when Retry-After exceeds the cap: the 429 surfaces at once', async () => {
    const { woo, waits, srv } = await setup((_req, res) =>
      json(
        res,
        429,
        { code: 'too_many', message: 'later', data: { status: 429 } },
        { 'retry-after': '3600' },
      ),
    );
    const err = await caught(woo.GET('/products'));
    expect((err as WooApiError).status).toBe(429);
    expect(waits).toEqual([]);
    expect(srv.requests).toHaveLength(1);
  });

  it('retries connection resets as network errors', async () => {
    const { woo, srv } = await setup((req, res, n) => {
      if (n <= 2) return void req.socket.destroy();
      json(res, 200, { id: 7 });
    });
    const { data } = await woo.GET('/products/{id}', { params: { path: { id: 7 } } });
    expect(data).toEqual({ id: 7 });
    expect(srv.requests).toHaveLength(3);
  });

  it('reports a persistent reset as WooNetworkError after maxAttempts', async () => {
    const { woo, srv } = await setup((req) => void req.socket.destroy());
    const err = await caught(woo.GET('/products'));
    expect(err).toBeInstanceOf(WooNetworkError);
    expect((err as WooNetworkError).code).toBe('wooapi_network_error');
    expect((err as WooNetworkError).method).toBe('GET');
    expect((err as WooNetworkError).path).toBe('/products');
    expect(srv.requests).toHaveLength(3);
  });

  it('does not retry POST by default, and does when opted in (per request), re-sending the body', async () => {
    const { woo, srv } = await setup((req, res, n) => {
      if (n === 1 || n === 2) return wooError(res, 503, 'busy', 'busy');
      json(res, 201, { id: 9, ...JSON.parse(req.body) });
    });
    const err = await caught(woo.POST('/products', { body: { name: 'Hoodie' } }));
    expect((err as WooApiError).status).toBe(503);
    expect(srv.requests).toHaveLength(1);
    const { data } = await woo.POST('/products', { body: { name: 'Hoodie' }, retry: { methods: ['POST'] } });
    expect(data).toMatchObject({ id: 9, name: 'Hoodie' });
    expect(srv.requests.map((r) => r.body)).toEqual(Array(3).fill('{"name":"Hoodie"}'));
  });

  it('never retries a PUT or DELETE by default (WooCommerce PUT is not idempotent)', async () => {
    const { woo, srv } = await setup((_req, res) => wooError(res, 502, 'bad_gateway', 'Bad gateway'));
    const put = await caught(woo.PUT('/products/{id}', { params: { path: { id: 3 } }, body: { name: 'x' } }));
    expect((put as WooApiError).status).toBe(502);
    const del = await caught(woo.DELETE('/products/{id}', { params: { path: { id: 3 } } }));
    expect((del as WooApiError).status).toBe(502);
    expect(srv.requests.map((r) => r.method)).toEqual(['PUT', 'DELETE']);
  });

  it('re-sends a PUT body on retry when PUT is opted in', async () => {
    const { woo, srv } = await setup((req, res, n) => {
      if (n === 1) return wooError(res, 502, 'bad_gateway', 'Bad gateway');
      json(res, 200, JSON.parse(req.body));
    });
    const { data } = await woo.PUT('/products/{id}', {
      params: { path: { id: 3 } },
      body: { name: 'Renamed' },
      retry: { methods: ['PUT'] },
    });
    expect(data).toEqual({ name: 'Renamed' });
    expect(srv.requests.map((r) => `${r.method} ${r.body}`)).toEqual([
      'PUT {"name":"Renamed"}',
      'PUT {"name":"Renamed"}',
    ]);
  });

  it('signs each OAuth attempt afresh (WooCommerce refuses a reused nonce)', async () => {
    const { woo, srv } = await setup(
      (_req, res, n) => (n === 1 ? wooError(res, 503, 'busy', 'busy') : json(res, 200, [])),
      { auth: 'oauth1' },
    );
    await woo.GET('/products', { params: { query: { per_page: 5 } } });
    const nonces = srv.requests.map((r) => new URL(r.url, 'http://x').searchParams.getAll('oauth_nonce'));
    expect(nonces).toHaveLength(2);
    expect(nonces[0]).toHaveLength(1);
    expect(nonces[1]).toHaveLength(1);
    expect(nonces[0]![0]).not.toBe(nonces[1]![0]);
  });

  it('can be turned off per client and per request', async () => {
    const { woo, srv } = await setup((_req, res) => wooError(res, 503, 'busy', 'busy'));
    await caught(woo.GET('/products', { retry: false }));
    expect(srv.requests).toHaveLength(1);
  });
});

describe('timeouts and abort', () => {
  it('times out a slow answer per attempt, retries, then throws WooTimeoutError', async () => {
    const { woo, srv } = await setup(
      (_req, res) => {
        const t = setTimeout(() => json(res, 200, []), 5_000);
        res.on('close', () => clearTimeout(t));
      },
      { timeout: 100, retry: { maxAttempts: 2 } },
    );
    const err = await caught(woo.GET('/products'));
    expect(err).toBeInstanceOf(WooTimeoutError);
    expect((err as WooTimeoutError).message).toMatch(
      /timed out: 2 attempts over \d+\.\d\d s, each attempt limited to 100 ms.*GET http:\/\/127\.0\.0\.1:\d+\/wp-json\/wc\/v3\/products/,
    );
    expect((err as WooTimeoutError).data).toMatchObject({ attempts: 2, timeoutMs: 100 });
    expect(srv.requests).toHaveLength(2);
  });

  it('applies timeouts and retries on the raw openapi-fetch client too', async () => {
    const { woo, srv } = await setup(
      (_req, res, n) => {
        if (n === 1) return wooError(res, 503, 'busy', 'busy');
        const t = setTimeout(() => json(res, 200, []), 5_000);
        res.on('close', () => clearTimeout(t));
      },
      { timeout: 100, retry: { maxAttempts: 2 } },
    );
    const err = await caught(woo.raw.GET('/products'));
    expect(err).toBeInstanceOf(WooTimeoutError);
    expect(srv.requests).toHaveLength(2);
  });

  it('times out a body that stalls after the headers', async () => {
    const { woo } = await setup(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('[{"id":1},');
      },
      { timeout: 150, retry: { maxAttempts: 1 } },
    );
    const err = await caught(woo.GET('/products'));
    expect(err).toBeInstanceOf(WooTimeoutError);
  });

  it("stops at once on the caller's AbortSignal, without retrying", async () => {
    const { woo, srv } = await setup((_req, res) => {
      const t = setTimeout(() => json(res, 200, []), 5_000);
      res.on('close', () => clearTimeout(t));
    });
    const ctl = new AbortController();
    const pending = caught(woo.GET('/products', { signal: ctl.signal }));
    await vi.waitFor(() => expect(srv.requests).toHaveLength(1), { timeout: 5_000, interval: 5 });
    ctl.abort();
    const err = await pending;
    expect(err).toBeInstanceOf(WooAbortError);
    expect(srv.requests).toHaveLength(1);
  });

  it("honours the caller's signal on an OAuth client, wrapped and raw", async () => {
    const { woo, srv } = await setup(
      (_req, res) => {
        const t = setTimeout(() => json(res, 200, []), 5_000);
        res.on('close', () => clearTimeout(t));
      },
      { auth: 'oauth1' },
    );
    const calls = [
      (signal: AbortSignal) => woo.GET('/products', { signal }),
      (signal: AbortSignal) => woo.raw.GET('/products', { signal }),
    ];
    for (const [i, call] of calls.entries()) {
      const ctl = new AbortController();
      const pending = caught(call(ctl.signal));
      // Abort once the store holds the request (signing can take a while on a loaded box), not after a fixed time.
      await vi.waitFor(() => expect(srv.requests).toHaveLength(i + 1), { timeout: 5_000, interval: 5 });
      ctl.abort();
      expect(await pending).toBeInstanceOf(WooAbortError);
    }
    expect(srv.requests).toHaveLength(2);
  });

  it('aborts during a backoff wait', async () => {
    const { woo } = await setup((_req, res) => wooError(res, 503, 'busy', 'busy'), {
      retry: {
        sleep: (_ms, signal) =>
          new Promise((_r, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      },
    });
    const ctl = new AbortController();
    const pending = caught(woo.GET('/products', { signal: ctl.signal }));
    setTimeout(() => ctl.abort(), 50);
    expect(await pending).toBeInstanceOf(WooAbortError);
  });
});
