// Per-attempt deadlines (src/deadline.ts): under Node's fetch the timeout aborts the request through a per-attempt
// undici dispatcher instead of an AbortSignal. These tests check that the store really sees the connection dropped
// (before and after the headers), that the caller gets the timeout on time, and that a `globalThis.fetch` that
// ignores the dispatcher (a mock, a polyfill) still times out, then falls back to AbortSignals.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WooTimeoutError } from '../src/index.js';
import { basicClient } from './helpers/client.js';
import { caught } from './helpers/errors.js';
import { json, startServer, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
const realFetch = globalThis.fetch;
afterEach(async () => {
  globalThis.fetch = realFetch;
  await server?.close();
  server = undefined;
});

const client = (url: string, timeout: number) => basicClient(url, { timeout, retry: false });

/** A store that answers `/warm` and stalls every other request (before or after the headers); a client timing out. */
async function stalled(afterHeaders: boolean, timeout = 200) {
  server = await startServer((req, res) => {
    if (req.url?.endsWith('/warm')) return json(res, 200, {});
    if (afterHeaders) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[{"id":1},');
    }
  });
  // One native fetch first: Node creates its global dispatcher on the first fetch, the one the client wraps.
  await (await realFetch(`${server.url}/warm`)).text();
  return client(server.url, timeout);
}

describe('deadlines', () => {
  it('drops the connection of an attempt whose headers never come, and throws on time', async () => {
    // 1 s, not 200 ms: the store runs on the test's own event loop, and on a loaded box a 200 ms deadline could fire
    // before the store had read the request at all (seen once in CI), which is not what this test is about.
    const woo = await stalled(false, 1_000);
    const started = Date.now();
    const err = await caught(woo.GET('/products'));
    expect(err).toBeInstanceOf(WooTimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(995);
    expect(Date.now() - started).toBeLessThan(2_800);
    // The store saw the timed-out request's connection close (its `res` closed), not left hanging.
    expect(server!.requests.map((r) => r.url)).toEqual(['/warm', '/wp-json/wc/v3/products']);
    await vi.waitFor(() => expect(server!.inFlight()).toBe(0), { timeout: 2_000, interval: 10 });
  });

  it('drops the connection of a body that stalls after the headers', async () => {
    const woo = await stalled(true);
    const err = await caught(woo.GET('/products'));
    expect(err).toBeInstanceOf(WooTimeoutError);
    await vi.waitFor(() => expect(server!.inFlight()).toBe(0), { timeout: 2_000, interval: 10 });
  });

  it('times out on time when a patched fetch ignores the dispatcher, then aborts through a signal', async () => {
    const woo = await stalled(false);
    const seen: (RequestInit & { dispatcher?: unknown })[] = [];
    globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit & { dispatcher?: unknown }) => {
      seen.push({ ...init });
      const { dispatcher: _ignored, ...rest } = init ?? {};
      return realFetch(input, rest);
    }) as typeof fetch;
    const started = Date.now();
    expect(await caught(woo.GET('/products'))).toBeInstanceOf(WooTimeoutError);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(seen[0]!.dispatcher).toBeDefined();
    // That attempt could not be aborted (the fetch dropped the dispatcher) and never answered, so the client cannot
    // know yet. The first answer shows it: from then on the client sends an AbortSignal, which this fetch honours.
    await woo.GET('/warm' as '/products');
    expect(seen[1]!.dispatcher).toBeDefined();
    const inFlight = server!.inFlight();
    expect(await caught(woo.GET('/products'))).toBeInstanceOf(WooTimeoutError);
    expect(seen[2]!.dispatcher).toBeUndefined();
    expect(seen[2]!.signal).toBeInstanceOf(AbortSignal);
    // The first stalled request still hangs (nothing could abort it); the last one was dropped.
    await vi.waitFor(() => expect(server!.inFlight()).toBe(inFlight), { timeout: 2_000, interval: 10 });
  });
});
