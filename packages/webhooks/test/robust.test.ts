// No input can crash the host: every handler, served on 127.0.0.1, against hostile clients and failing callbacks.
// A process-level listener records anything that escapes (an unhandled rejection or an uncaught exception), and
// every test ends by checking that nothing did.
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createReplayGuard,
  createWebhookHandler,
  type SeenStore,
  type WebhookError,
  type WebhookHandlerOptions,
} from '../src/index.js';
import { createNodeWebhookHandler } from '../src/node.js';
import { deliveryHeaders, fetchToNode, listen, PRODUCT_BODY, SECRET } from './helpers.js';

const escaped: unknown[] = [];
const onEscape = (err: unknown) => escaped.push(err);
beforeAll(() => {
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtException', onEscape);
});
afterAll(() => {
  process.off('unhandledRejection', onEscape);
  process.off('uncaughtException', onEscape);
});
afterEach(async () => {
  // Rejections are reported once the microtask queue drains: let one macrotask pass before looking.
  await new Promise((r) => setImmediate(r));
  expect(escaped.splice(0)).toEqual([]);
});

const MiB = 1024 * 1024;
const BODY_TIMEOUT_MS = 300;

/** A target: one handler served on 127.0.0.1, and what its callbacks saw. */
interface Target {
  name: string;
  url: string;
  port: number;
  errors: unknown[];
  handled: string[];
  /** Resolves with the next error `onError` is given. */
  nextError(): Promise<unknown>;
}
const targets: Target[] = [];
const servers: Server[] = [];

function options(t: Pick<Target, 'errors' | 'handled'>, waiters: Array<(e: unknown) => void>) {
  return {
    secret: SECRET,
    bodyTimeoutMs: BODY_TIMEOUT_MS,
    on: {
      'product.created': (e) => {
        t.handled.push(`created:${e.payload.id}`);
      },
      'product.updated': () => {
        throw new Error('handler failed');
      },
    },
    // The logger itself is broken: it throws on every call.
    onError: (err) => {
      t.errors.push(err);
      for (const w of waiters.splice(0)) w(err);
      throw new Error('onError failed too');
    },
  } satisfies WebhookHandlerOptions;
}

beforeAll(async () => {
  const add = async (name: string, build: (o: WebhookHandlerOptions) => Server) => {
    const waiters: Array<(e: unknown) => void> = [];
    const t = { name, errors: [] as unknown[], handled: [] as string[] };
    const server = build(options(t, waiters));
    servers.push(server);
    const url = await listen(server);
    targets.push({
      ...t,
      url,
      port: Number(new URL(url).port),
      nextError: () => new Promise((r) => waiters.push(r)),
    });
  };
  await add('node:http', (o) => createServer(createNodeWebhookHandler(o)));
  await add('express', (o) => {
    const app = express();
    app.post('/hooks', createNodeWebhookHandler(o));
    return createServer(app);
  });
  await add('fetch handler', (o) => fetchToNode(createWebhookHandler(o)));
});
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

/** Sends raw bytes on a socket and resolves with everything the server answered, once it closes the connection. */
function raw(
  port: number,
  head: string,
  behave: (socket: ReturnType<typeof connect>) => void,
): Promise<{ text: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(head);
      behave(socket);
    });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => {
      text += d;
    });
    socket.on('error', () => {}); // a reset after the answer is fine; the answer is what is checked
    socket.on('close', () => resolve({ text, ms: performance.now() - started }));
    socket.setTimeout(20_000, () => reject(new Error(`no answer within 20 s; got: ${text.slice(0, 100)}`)));
  });
}

const head = (length: number, extra: Record<string, string> = {}) =>
  `POST /hooks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n${Object.entries(
    extra,
  )
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;

describe.each([0, 1, 2])('the host survives: target %i', (i) => {
  const t = () => targets[i] as Target;
  const url = () => `${t().url}/hooks`;

  it('an unsigned 1 MiB POST with an onError that throws: 401, answered', async () => {
    const res = await fetch(url(), {
      method: 'POST',
      body: 'x'.repeat(MiB),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'missing_signature' });
    expect((t().errors.at(-1) as WebhookError).code).toBe('missing_signature');
  });

  it('an unsigned POST one byte over 1 MiB with an onError that throws: 413, answered', async () => {
    const res = await fetch(url(), {
      method: 'POST',
      body: 'x'.repeat(MiB + 1),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(413);
    expect((t().errors.at(-1) as WebhookError).code).toBe('body_too_large');
  });

  it('a handler that throws, with an onError that throws: 500, answered', async () => {
    const res = await fetch(url(), {
      method: 'POST',
      body: PRODUCT_BODY,
      headers: deliveryHeaders(PRODUCT_BODY, 'product.updated'),
    });
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ error: 'handler_failed' });
  });

  it(`a body that stops arriving: 408 after bodyTimeoutMs (${BODY_TIMEOUT_MS} ms), connection closed`, async () => {
    const before = t().handled.length;
    const body = PRODUCT_BODY;
    const { text, ms } = await raw(t().port, head(Buffer.byteLength(body), deliveryHeaders(body)), (s) =>
      s.write(body.slice(0, 10)),
    );
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(text).toContain('"error":"body_timeout"');
    expect(ms).toBeGreaterThanOrEqual(BODY_TIMEOUT_MS - 20);
    expect(t().handled.length).toBe(before);
  });

  it('a body dribbled a byte at a time: 408 at the same deadline, not per byte', async () => {
    const body = PRODUCT_BODY;
    let timer: NodeJS.Timeout | undefined;
    const { text, ms } = await raw(t().port, head(Buffer.byteLength(body), deliveryHeaders(body)), (s) => {
      let at = 0;
      timer = setInterval(() => {
        if (at < body.length - 1 && !s.destroyed) s.write(body[at++] as string);
      }, 20);
    });
    clearInterval(timer);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeLessThan(BODY_TIMEOUT_MS + 5_000);
  });

  it('a client that disconnects mid-body: nothing runs, the error is reported, the host stays up', async () => {
    const before = t().handled.length;
    const body = PRODUCT_BODY;
    const reported = t().nextError();
    await raw(t().port, head(Buffer.byteLength(body), deliveryHeaders(body)), (s) => {
      s.write(body.slice(0, 10), () => s.destroy());
    });
    expect(((await reported) as WebhookError).code).toBe('body_incomplete');
    expect(t().handled.length).toBe(before);
    // Still serving.
    const res = await fetch(url(), { method: 'POST', body, headers: deliveryHeaders(body) });
    expect(res.status).toBe(200);
  });

  it('a body shorter than its Content-Length, then a half-close: 400 or no answer, never a crash', async () => {
    const body = PRODUCT_BODY;
    const reported = t().nextError();
    const { text } = await raw(t().port, head(Buffer.byteLength(body) + 50, deliveryHeaders(body)), (s) =>
      s.end(body),
    );
    expect(((await reported) as WebhookError).code).toBe('body_incomplete');
    // Node may already have closed the socket; if anything was answered, it is the refusal.
    if (text !== '') expect(text).toMatch(/^HTTP\/1\.1 400 /);
  });
});

describe.each([0, 1, 2])('hostile requests over HTTP: target %i', (i) => {
  const t = () => targets[i] as Target;
  const url = () => `${t().url}/hooks`;
  const status = (text: string) => Number(/^HTTP\/1\.1 (\d{3}) /.exec(text)?.[1]);

  it('a signature header sent twice: 400 malformed_header, whatever joins them', async () => {
    const before = t().handled.length;
    const h = deliveryHeaders(PRODUCT_BODY);
    const sig = h['x-wc-webhook-signature'] as string;
    const { text } = await raw(
      t().port,
      head(Buffer.byteLength(PRODUCT_BODY), h).replace(
        '\r\n\r\n',
        `\r\nX-WC-Webhook-Signature: ${sig}\r\nConnection: close\r\n\r\n`,
      ),
      (s) => s.write(PRODUCT_BODY),
    );
    expect(status(text)).toBe(400);
    expect(text).toContain('"error":"malformed_header"');
    expect(t().handled.length).toBe(before);
  });

  it('a 64 KiB header: refused by Node before the handler (431), the host keeps serving', async () => {
    const res = await fetch(url(), {
      method: 'POST',
      body: PRODUCT_BODY,
      headers: { ...deliveryHeaders(PRODUCT_BODY), 'x-padding': 'x'.repeat(64 * 1024) },
    }).catch((err: Error) => err);
    // Node answers 431 and closes; fetch may see the close first.
    if (!(res instanceof Error)) expect(res.status).toBe(431);
    const ok = await fetch(url(), {
      method: 'POST',
      body: PRODUCT_BODY,
      headers: deliveryHeaders(PRODUCT_BODY),
    });
    expect(ok.status).toBe(200);
  });

  it('a signed body that is not UTF-8: 400 invalid_json', async () => {
    const body = Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x31, 0x2c, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    const res = await fetch(url(), { method: 'POST', body, headers: deliveryHeaders(body) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_json' });
  });

  it('a form-encoded ping with a signature: not a ping (401 forged, 415 validly signed)', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const forged = await fetch(url(), {
      method: 'POST',
      body: 'webhook_id=12',
      headers: {
        ...form,
        'x-wc-webhook-signature': deliveryHeaders('other')['x-wc-webhook-signature'] as string,
      },
    });
    expect(forged.status).toBe(401);
    const signed = await fetch(url(), {
      method: 'POST',
      body: 'webhook_id=12',
      headers: { ...deliveryHeaders('webhook_id=12'), ...form },
    });
    expect(signed.status).toBe(415);
  });

  it('a declared 1 GiB body, sent as fast as the socket takes it: 413 at once, connection closed', async () => {
    let sent = 0;
    const chunk = Buffer.alloc(64 * 1024, 0x78);
    const { text, ms } = await raw(t().port, head(1024 * MiB, deliveryHeaders('{}')), (s) => {
      const pump = () => {
        while (!s.destroyed && sent < 1024 * MiB) {
          sent += chunk.length;
          if (!s.write(chunk)) return void s.once('drain', pump);
        }
      };
      pump();
    });
    expect(status(text)).toBe(413);
    expect(text).toContain('"error":"body_too_large"');
    // The server stopped taking the body long before 1 GiB: what was sent is what the sockets buffered.
    expect(sent).toBeLessThan(256 * MiB);
    expect(ms).toBeLessThan(10_000);
  });
});

describe('the Fetch handler never rejects', () => {
  const handler = createWebhookHandler({ secret: SECRET, bodyTimeoutMs: BODY_TIMEOUT_MS });
  const post = (body: ReadableStream<Uint8Array>) =>
    handler(
      new Request('http://127.0.0.1/hooks', {
        method: 'POST',
        body,
        headers: deliveryHeaders(PRODUCT_BODY),
        duplex: 'half',
      } as RequestInit),
    );

  it('a body stream that fails: 400 body_incomplete', async () => {
    const res = await post(
      new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode('{"id"'));
          c.error(new Error('connection reset'));
        },
      }),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'body_incomplete' });
  });

  it(`a body stream that stalls: 408 body_timeout after ${BODY_TIMEOUT_MS} ms`, async () => {
    const started = performance.now();
    const res = await post(
      new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode('{"id"'));
        },
      }),
    );
    expect(res.status).toBe(408);
    expect(res.headers.get('connection')).toBe('close');
    expect(performance.now() - started).toBeGreaterThanOrEqual(BODY_TIMEOUT_MS - 20);
  });

  it('a Request whose body was already read: 500, and onError says how to mount the handler', async () => {
    const errors: unknown[] = [];
    const h = createWebhookHandler({ secret: SECRET, onError: (e) => void errors.push(e) });
    const request = new Request('http://127.0.0.1/hooks', {
      method: 'POST',
      body: PRODUCT_BODY,
      headers: deliveryHeaders(PRODUCT_BODY),
    });
    await request.text();
    const res = await h(request);
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ error: 'server_error' });
    expect(String(errors[0])).toMatch(/already read.*before anything reads its body/);
  });

  it('an async onError that rejects: answered, nothing escapes', async () => {
    const h = createWebhookHandler({ secret: SECRET, onError: async () => Promise.reject(new Error('x')) });
    const res = await h(new Request('http://127.0.0.1/hooks', { method: 'POST', body: '{}' }));
    expect(res.status).toBe(401);
  });

  it('a replay store that fails: 500 and the handler does not run (fails closed)', async () => {
    const ran: number[] = [];
    const broken: SeenStore = {
      add: () => Promise.reject(new Error('store down')),
    };
    const h = createWebhookHandler({
      secret: SECRET,
      replayGuard: createReplayGuard({ store: broken }),
      on: { 'product.created': (e) => void ran.push(Number(e.payload.id)) },
    });
    const res = await h(
      new Request('http://127.0.0.1/hooks', {
        method: 'POST',
        body: PRODUCT_BODY,
        headers: deliveryHeaders(PRODUCT_BODY),
      }),
    );
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ error: 'server_error' });
    expect(ran).toEqual([]);
  });
});

describe('misconfiguration fails when the handler is built', () => {
  const builders = [
    ['createWebhookHandler', createWebhookHandler],
    ['createNodeWebhookHandler', createNodeWebhookHandler],
  ] as const;

  it.each(builders)('%s refuses an empty or missing secret, saying what to check', (name, build) => {
    for (const secret of ['', [], [''], ['ok', ''], undefined, null, 42]) {
      expect(() => build({ secret } as never), `secret ${JSON.stringify(secret)}`).toThrow(TypeError);
    }
    expect(() => build({ secret: '' })).toThrow(new RegExp(`^${name}: .*empty.*variable`));
    expect(() => build({ secret: process.env.WOOAPI_SURELY_UNSET_SECRET as string })).toThrow(
      /needs \{ secret \}.*not set/,
    );
  });

  it.each(builders)('%s refuses limits that are not positive numbers', (_name, build) => {
    for (const bad of [0, -1, Number.NaN, 1.5, '1024']) {
      expect(() => build({ secret: SECRET, maxBodyBytes: bad as number })).toThrow(/maxBodyBytes/);
    }
    for (const bad of [0, -5, Number.NaN, Number.POSITIVE_INFINITY, '10']) {
      expect(() => build({ secret: SECRET, bodyTimeoutMs: bad as number })).toThrow(/bodyTimeoutMs/);
    }
    expect(() => build({ secret: SECRET, onError: 'log' as never })).toThrow(/onError must be a function/);
    expect(() => build({ secret: SECRET, replayGuard: {} as never })).toThrow(/createReplayGuard/);
  });
});
