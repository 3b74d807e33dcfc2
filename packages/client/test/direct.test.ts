// The direct path (src/dispatch.node.ts): under Node's own fetch the client hands each attempt straight to Node's
// global dispatcher instead of calling fetch(). Every case runs twice against the same real server on 127.0.0.1:
// once direct, once through a patched `globalThis.fetch` (a wrapper around Node's own, as msw or a test spy would
// install), which the client must then go through. Both runs must give the store the same request and the caller
// the same answer or the same typed error.
import dc from 'node:diagnostics_channel';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, connect, createServer as createNetServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { type Dispatcher, getGlobalDispatcher, MockAgent, ProxyAgent, setGlobalDispatcher } from 'undici';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { node } from '../src/dispatch.node.js';
import {
  createWooClient,
  WooAbortError,
  WooCommerceError,
  WooInvalidResponseError,
  WooNetworkError,
  WooResponseTooLargeError,
  WooTimeoutError,
} from '../src/index.js';
import { DIST_INDEX, runModule } from './helpers/child.js';
import { caught, KEY, SECRET } from './helpers/errors.js';
import { type Handler, json, startServer, type TestServer } from './helpers/server.js';

const native = globalThis.fetch;
let server: TestServer | undefined;
afterEach(async () => {
  globalThis.fetch = native;
  await server?.close();
  server = undefined;
});
beforeAll(async () => {
  // Node creates its global dispatcher on its first fetch; the direct path needs one to hand requests to.
  const s = await startServer((_q, res) => json(res, 200, {}));
  await (await native(s.url)).text();
  await s.close();
});

const serve = async (h: Handler) => {
  server = await startServer(h);
  return server.url;
};
const opts = { consumerKey: KEY, consumerSecret: SECRET, allowInsecureLoopback: true, retry: false } as const;
const basic = (url: string, more: Record<string, unknown> = {}) =>
  createWooClient({ url, ...opts, auth: 'basic', ...more });

interface Run<T> {
  value: T;
  /** What the store received, request by request. */
  seen: { method: string; url: string; headers: Record<string, unknown>; body: string }[];
  /** Calls that went through the patched fetch (0 on the direct run). */
  patchedCalls: number;
}

/** Run `fn` direct, then with a patched `globalThis.fetch`; the store's record is taken per run. */
async function both<T>(fn: () => Promise<T>): Promise<{ direct: Run<T>; fetched: Run<T> }> {
  const runOnce = async (patch: boolean): Promise<Run<T>> => {
    const before = server!.requests.length;
    let patchedCalls = 0;
    if (patch)
      globalThis.fetch = (input, init) => {
        patchedCalls++;
        return native(input, init);
      };
    try {
      const value = await fn();
      const seen = server!.requests.slice(before).map(({ method, url, headers, body }) => ({
        method,
        url,
        headers: { ...headers },
        body,
      }));
      return { value, seen, patchedCalls };
    } finally {
      globalThis.fetch = native;
    }
  };
  const direct = await runOnce(false);
  const fetched = await runOnce(true);
  return { direct, fetched };
}

/** The parts of a typed error both paths must agree on. */
const shape = (e: unknown) => {
  const w = e as WooCommerceError;
  // The time an attempt took differs between two runs: `after 1 attempt over 0.02 s`.
  const message = w.message.replace(/over \d+\.\d+ s/, 'over N s');
  return { class: w.constructor.name, code: w.code, status: w.status, message };
};

describe('the direct path under Node', () => {
  it('sends the store the same request as Node fetch and answers the same, without fetch()', async () => {
    const url = await serve((req, res) =>
      json(res, 200, { id: 7, name: 'Hoodie', got: req.body }, { 'x-wp-total': '1', 'set-cookie': 'a=1' }),
    );
    const woo = basic(url);
    const { direct, fetched } = await both(async () => {
      const get = await woo.GET('/products/{id}', { params: { path: { id: 7 } } });
      const post = await woo.POST('/products', { body: { name: 'Hoodie ☃' } });
      return { get, post };
    });
    expect(direct.patchedCalls).toBe(0);
    expect(fetched.patchedCalls).toBe(2);
    // Same request on the wire: method, path, every header (accept-encoding, user-agent, accept, sec-fetch-mode,
    // content-type, content-length, the Basic header) and the body bytes.
    expect(direct.seen).toEqual(fetched.seen);
    expect(direct.seen[0]!.headers).toMatchObject({
      'accept-encoding': 'gzip, deflate',
      authorization: expect.stringMatching(/^Basic /),
    });
    expect(direct.seen[1]!.body).toBe(JSON.stringify({ name: 'Hoodie ☃' }));
    for (const k of ['get', 'post'] as const) {
      const d = direct.value[k];
      const f = fetched.value[k];
      expect(d.data).toEqual(f.data);
      expect(d.response.status).toBe(f.response.status);
      const headers = (r: Response) => [...r.headers].filter(([n]) => n !== 'date');
      expect(headers(d.response)).toEqual(headers(f.response));
      expect(d.response.url).toBe(f.response.url);
    }
    expect(direct.value.get.data).toMatchObject({ id: 7, name: 'Hoodie' });
    expect(direct.value.get.response.headers.get('set-cookie')).toBe('a=1');
    // The direct answer never had a body stream (the body was read by the dispatcher); fetch's was read.
    expect(direct.value.get.response.body).toBeNull();
    // The bytes were handed over once and are not kept for as long as the caller keeps the response.
    expect(node!.held(direct.value.get.response, 'text')).toBeUndefined();
    expect(fetched.value.get.response.bodyUsed).toBe(true);
  });

  it('decodes gzip, zlib and raw deflate, brotli and a list of codings, as fetch does', async () => {
    const body = Buffer.from(JSON.stringify({ id: 1, name: 'x'.repeat(2000) }));
    const encoded: Record<string, Buffer> = {
      gzip: gzipSync(body),
      'x-gzip': gzipSync(body),
      deflate: deflateSync(body),
      'deflate ': deflateRawSync(body),
      br: brotliCompressSync(body),
      'deflate, gzip': gzipSync(deflateSync(body)),
    };
    const url = await serve((req, res) => {
      const coding = decodeURIComponent(new URL(req.url!, 'http://x').searchParams.get('c')!);
      const bytes = encoded[coding]!;
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': coding.trim() || coding,
        'content-length': bytes.length,
      });
      res.end(bytes);
    });
    const woo = basic(url);
    for (const coding of Object.keys(encoded)) {
      const { direct, fetched } = await both(() =>
        woo.GET('/products', { params: { query: { c: coding } as never } }),
      );
      expect(direct.value.data, coding).toEqual(JSON.parse(body.toString()));
      expect(fetched.value.data, coding).toEqual(direct.value.data);
    }
  });

  it('leaves a body in an unknown coding as it came, like fetch: an invalid-response error', async () => {
    const url = await serve((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'x-unknown' });
      res.end(Buffer.from([0x1f, 0x8b, 0x00, 0x42]));
    });
    const woo = basic(url);
    const { direct, fetched } = await both(() => caught(woo.GET('/products')));
    expect(direct.value).toBeInstanceOf(WooInvalidResponseError);
    expect(shape(direct.value)).toEqual(shape(fetched.value));
  });

  it('decodes zstd where this Node has it (a store should not send it: the client does not ask for it)', async () => {
    const body = JSON.stringify({ id: 9, name: 'z'.repeat(500) });
    const zstd = (zlib as { zstdCompressSync?: (b: Buffer) => Buffer }).zstdCompressSync;
    const url = await serve((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'zstd' });
      // Node 20's zlib has no zstd: a body labelled zstd is then left as it came, as Node 20's fetch leaves it.
      res.end(zstd ? zstd(Buffer.from(body)) : Buffer.from(body));
    });
    const woo = basic(url);
    const { direct, fetched } = await both(() =>
      woo.GET('/products').then(
        (r) => r.data,
        (e: unknown) => e,
      ),
    );
    expect(direct.value).toEqual(JSON.parse(body));
    // Node 24's fetch (undici 7) decodes zstd too; Node 22's (undici 6) has zstd in zlib but not in fetch, where it
    // is an invalid-response error.
    if (!zstd || Number(process.versions.undici?.split('.')[0]) >= 7)
      expect(fetched.value).toEqual(direct.value);
    else expect(fetched.value).toBeInstanceOf(WooInvalidResponseError);
  });

  it('drops a byte order mark before the JSON, ignores 1xx answers, reads HEAD and 204 without a body', async () => {
    const url = await serve((req, res) => {
      if (req.method === 'HEAD') {
        res.writeHead(200, { 'content-length': '1234', 'x-wp-total': '9' });
        return res.end();
      }
      if (req.method === 'DELETE') {
        res.writeHead(204);
        return res.end();
      }
      res.writeEarlyHints({ link: '</style.css>; rel=preload' });
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"id":3,"name":"Café"}')]));
    });
    const woo = basic(url);
    const { direct, fetched } = await both(async () => ({
      get: await woo.GET('/products/{id}', { params: { path: { id: 3 } } }),
      head: await woo.HEAD('/products' as never, {} as never),
      del: await woo.DELETE('/products/{id}', { params: { path: { id: 3 } } }),
    }));
    expect(direct.value.get.data).toEqual({ id: 3, name: 'Café' });
    expect(fetched.value.get.data).toEqual(direct.value.get.data);
    for (const k of ['head', 'del'] as const) {
      expect(direct.value[k].data, k).toBeUndefined();
      expect(direct.value[k].response.status).toBe(fetched.value[k].response.status);
    }
    expect(direct.value.head.response.headers.get('x-wp-total')).toBe('9');
  });

  it('refuses a body over the cap, declared, streamed or inflated, with the same error, and drops the connection', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(5000) });
    const url = await serve((req, res) => {
      const kind = req.url!.split('/').pop();
      if (kind === 'declared') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': big.length });
        return res.end(big);
      }
      if (kind === 'bomb') {
        const bomb = gzipSync(Buffer.alloc(1_000_000, 0x20));
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        return res.end(bomb);
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(big);
      // Streams on: only a client that stops reading ends this answer.
      const more = setInterval(() => res.write(' '.repeat(1000)), 5);
      res.on('close', () => clearInterval(more));
    });
    const woo = basic(url, { maxResponseBytes: 4096 });
    for (const kind of ['declared', 'streamed', 'bomb']) {
      const { direct, fetched } = await both(() => caught(woo.GET(`/products/${kind}` as never)));
      expect(direct.value, kind).toBeInstanceOf(WooResponseTooLargeError);
      expect(shape(direct.value), kind).toEqual(shape(fetched.value));
    }
    expect(server!.inFlight()).toBe(0);
  });

  it('types a short body, a refused connection, a stalled store and an abort the same way', async () => {
    const url = await serve((req, res) => {
      if (req.url!.endsWith('/short')) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"id":');
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      // Stalls: headers never come.
    });
    const woo = basic(url, { timeout: 300 });
    const short = await both(() => caught(woo.GET('/products/short' as never)));
    expect(short.direct.value).toBeInstanceOf(WooNetworkError);
    expect(shape(short.direct.value)).toEqual(shape(short.fetched.value));

    const stalled = await both(() => caught(woo.GET('/products/stall' as never)));
    expect(stalled.direct.value).toBeInstanceOf(WooTimeoutError);
    expect(shape(stalled.direct.value)).toEqual(shape(stalled.fetched.value));

    const aborted = await both(() => {
      const ctl = new AbortController();
      setTimeout(() => ctl.abort(), 50);
      return caught(woo.GET('/products/stall' as never, { signal: ctl.signal } as never));
    });
    expect(aborted.direct.value).toBeInstanceOf(WooAbortError);
    expect(shape(aborted.direct.value)).toEqual(shape(aborted.fetched.value));

    // A port nothing listens on (a server that never took a connection, closed).
    const free = createNetServer();
    await new Promise<void>((ok) => free.listen(0, '127.0.0.1', ok));
    const { port } = free.address() as AddressInfo;
    await new Promise((ok) => free.close(ok));
    const refused = await both(() => caught(basic(`http://127.0.0.1:${port}`).GET('/products')));
    expect(refused.direct.value).toBeInstanceOf(WooNetworkError);
    expect(String((refused.direct.value as Error).message)).toMatch(/ECONNREFUSED/);
    expect(shape(refused.direct.value)).toEqual(shape(refused.fetched.value));
  });

  it("is seen by undici's diagnostics channels (what OpenTelemetry's undici instrumentation listens to)", async () => {
    const url = await serve((_q, res) => json(res, 200, { id: 1 }));
    const seen: unknown[] = [];
    const onCreate = ({ request }: { request: { method: string; path: string } }) =>
      seen.push(['create', request.method, request.path]);
    const onHeaders = ({ response }: { response: { statusCode: number } }) =>
      seen.push(['headers', response.statusCode]);
    dc.subscribe('undici:request:create', onCreate as never);
    dc.subscribe('undici:request:headers', onHeaders as never);
    try {
      const got = await basic(url).GET('/products/{id}', { params: { path: { id: 1 } } });
      expect(got.response.body).toBeNull(); // the direct path
    } finally {
      dc.unsubscribe('undici:request:create', onCreate as never);
      dc.unsubscribe('undici:request:headers', onHeaders as never);
    }
    expect(seen).toEqual([
      ['create', 'GET', '/wp-json/wc/v3/products/1'],
      ['headers', 200],
    ]);
  });

  it('fails an answer no WHATWG Response can hold (status 600) as fetch passes it on: a WooApiError with that status', async () => {
    const url = await serve((_q, res) => {
      res.writeHead(600, { 'content-type': 'application/json' });
      res.end('{"id":1}');
    });
    const woo = basic(url);
    const { direct, fetched } = await both(() => caught(woo.GET('/products')));
    expect(direct.value).toBeInstanceOf(WooCommerceError);
    expect((direct.value as WooCommerceError).status).toBe(600);
    expect(shape(direct.value)).toEqual(shape(fetched.value));
  });

  it('keeps OAuth signatures out of the response URL, as it does through fetch', async () => {
    const url = await serve((_q, res) => json(res, 200, { id: 1 }));
    const woo = createWooClient({ url, ...opts });
    const { direct, fetched } = await both(() => woo.GET('/products/{id}', { params: { path: { id: 1 } } }));
    expect(direct.seen[0]!.url).toMatch(/oauth_signature=/);
    expect(direct.value.response.url).toBe('');
    expect(fetched.value.response.url).toBe('');
  });

  it('speaks https the same way (a store with a certificate the process trusts)', () => {
    // NODE_EXTRA_CA_CERTS is read at start-up only: a child that trusts the bench's loopback certificate.
    const tls = fileURLToPath(new URL('../bench/tls/', import.meta.url));
    const script = `
      import { readFileSync } from 'node:fs';
      import { createServer } from 'node:https';
      const seen = [];
      const s = createServer({ key: readFileSync(${JSON.stringify(`${tls}loopback.key`)}), cert: readFileSync(${JSON.stringify(`${tls}loopback.crt`)}) }, (q, r) => {
        seen.push(q.headers);
        r.writeHead(200, { 'content-type': 'application/json' });
        r.end('{"id":4,"name":"Secure"}');
      });
      await new Promise((ok) => s.listen(0, '127.0.0.1', ok));
      const url = 'https://127.0.0.1:' + s.address().port;
      const real = globalThis.fetch;
      await (await real(url)).text(); // Node's global dispatcher exists from here on
      const { createWooClient } = await import(${JSON.stringify(DIST_INDEX)});
      const woo = createWooClient({ url, consumerKey: 'ck_x', consumerSecret: 'cs_x' }); // https: Basic
      const direct = await woo.GET('/products/{id}', { params: { path: { id: 4 } } });
      globalThis.fetch = (i, o) => real(i, o);
      const fetched = await woo.GET('/products/{id}', { params: { path: { id: 4 } } });
      s.close();
      console.log(JSON.stringify({ data: [direct.data, fetched.data], body: [direct.response.body === null, fetched.response.bodyUsed], headers: seen.slice(1) }));`;
    const out = runModule(script, { ...process.env, NODE_EXTRA_CA_CERTS: `${tls}loopback.crt` });
    const r = JSON.parse(out) as { data: unknown[]; body: boolean[]; headers: Record<string, string>[] };
    expect(r.data).toEqual([
      { id: 4, name: 'Secure' },
      { id: 4, name: 'Secure' },
    ]);
    expect(r.body).toEqual([true, true]); // the first went direct, the second through the patched fetch
    expect(r.headers[0]).toEqual(r.headers[1]);
    expect(r.headers[0]).toMatchObject({
      'accept-encoding': 'br, gzip, deflate',
      authorization: expect.stringMatching(/^Basic /),
    });
  });

  it('goes through a globalThis.fetch patched before the client was imported (a mock set up first)', () => {
    const script = `
      import { createServer } from 'node:http';
      const s = createServer((q, r) => { r.writeHead(200, { 'content-type': 'application/json' }); r.end('{"id":1}'); });
      await new Promise((ok) => s.listen(0, '127.0.0.1', ok));
      const url = 'http://127.0.0.1:' + s.address().port;
      const real = globalThis.fetch;
      await (await real(url)).text(); // the global dispatcher exists: only the patch can stop the direct path
      let calls = 0;
      globalThis.fetch = (input, init) => { calls++; return real(input, init); };
      const { createWooClient } = await import(${JSON.stringify(DIST_INDEX)});
      const woo = createWooClient({ url, consumerKey: 'ck_x', consumerSecret: 'cs_x', auth: 'basic', allowInsecureLoopback: true });
      for (let i = 0; i < 3; i++) await woo.GET('/products');
      s.close();
      console.log(calls);`;
    const out = runModule(script);
    expect(Number(out.trim())).toBe(3);
  });
});

describe('a dispatcher the user installed with undici (setGlobalDispatcher)', () => {
  let saved: Dispatcher | undefined;
  afterEach(() => {
    if (saved) setGlobalDispatcher(saved);
    saved = undefined;
  });

  it("answers from undici's MockAgent, the usual way to mock Node's fetch", async () => {
    saved = getGlobalDispatcher();
    const mock = new MockAgent();
    mock.disableNetConnect();
    const store = mock.get('http://127.0.0.1:9');
    store
      .intercept({ path: '/wp-json/wc/v3/products/5', method: 'GET' })
      .reply(
        200,
        { id: 5, name: 'Mocked' },
        { headers: { 'content-type': 'application/json', 'x-wp-total': '1' } },
      );
    store
      .intercept({ path: '/wp-json/wc/v3/products', method: 'POST', body: JSON.stringify({ name: 'New' }) })
      .reply(201, { id: 6, name: 'New' });
    setGlobalDispatcher(mock);
    const woo = basic('http://127.0.0.1:9');
    const got = await woo.GET('/products/{id}', { params: { path: { id: 5 } } });
    expect(got.data).toEqual({ id: 5, name: 'Mocked' });
    expect(got.response.headers.get('x-wp-total')).toBe('1');
    expect(got.response.body).toBeNull(); // the direct path, through the mock
    const made = await woo.POST('/products', { body: { name: 'New' } });
    expect(made.response.status).toBe(201);
    expect(made.data).toEqual({ id: 6, name: 'New' });
    mock.assertNoPendingInterceptors();
    // Nothing mocked: the mock's refusal is a typed network error, as through fetch.
    const refused = await caught(woo.GET('/orders'));
    expect(refused).toBeInstanceOf(WooNetworkError);
    await mock.close();
  });

  it("sends every request through undici's ProxyAgent (a corporate proxy)", async () => {
    const url = await serve((_q, res) => json(res, 200, { id: 1 }));
    const tunnels: string[] = [];
    const sockets = new Set<Socket>();
    const proxy = createHttpServer();
    proxy.on('connect', (req, client: Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const up = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        up.write(head);
        up.pipe(client);
        client.pipe(up);
      });
      for (const s of [client, up]) {
        sockets.add(s);
        s.on('error', () => {});
        s.on('close', () => sockets.delete(s));
      }
    });
    await new Promise<void>((ok) => proxy.listen(0, '127.0.0.1', ok));
    const { port } = proxy.address() as AddressInfo;
    saved = getGlobalDispatcher();
    const agent = new ProxyAgent({ uri: `http://127.0.0.1:${port}` });
    setGlobalDispatcher(agent);
    try {
      const woo = basic(url);
      for (let i = 0; i < 3; i++)
        expect((await woo.GET('/products/{id}', { params: { path: { id: 1 } } })).data).toEqual({ id: 1 });
      expect(tunnels.length).toBeGreaterThan(0);
      expect(tunnels.every((t) => t === new URL(url).host)).toBe(true);
      expect(server!.requests).toHaveLength(3);
    } finally {
      await agent.close();
      for (const s of sockets) s.destroy();
      await new Promise((ok) => proxy.close(ok));
    }
  });
});
