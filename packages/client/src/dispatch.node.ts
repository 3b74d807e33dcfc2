/**
 * The Node side of `#dispatch` (see dispatch.ts and deadline.ts): a per-attempt hook into Node's own fetch (undici)
 * that keeps the request's `abort`, so a deadline needs no AbortSignal.
 */
import { type Deadline, type NodeDispatch, settle } from './deadline.js';

// Under Node, the shared timer of deadline.ts (no AbortSignal per attempt, see there).
export { deadline, settle } from './deadline.js';

interface UndiciDispatcher {
  dispatch(options: unknown, handler: Record<string, unknown>): boolean;
}
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');
/** False once a `globalThis.fetch` showed it ignores `dispatcher` (a mock, a polyfill): AbortSignals from then on. */
let honoured = true;

/** The attempt whose `fetch()` call is on the stack: Node's fetch calls `dispatch` synchronously from `fetch()`. */
let current: Deadline | undefined;

function hook(d: Deadline, handler: Record<string, unknown>) {
  const keep = (abort: (reason: unknown) => void) => {
    d.hooked = true;
    d.abort = abort;
    if (d.expired) abort(d.expired);
  };
  const { onConnect, onRequestStart } = handler as Record<string, (...a: unknown[]) => unknown>;
  if (typeof onConnect === 'function') {
    handler.onConnect = function (this: unknown, abort: (reason: unknown) => void, context: unknown) {
      keep(abort);
      return onConnect.call(this, abort, context);
    };
  } else if (typeof onRequestStart === 'function') {
    // undici's newer handler interface: the controller aborts.
    handler.onRequestStart = function (
      this: unknown,
      controller: { abort(r: unknown): void },
      context: unknown,
    ) {
      keep((r) => controller.abort(r));
      return onRequestStart.call(this, controller, context);
    };
  }
}

/** One dispatcher for every attempt: hooks the attempt being sent, then hands the request to the global one. */
const dispatcher = {
  dispatch(options: unknown, handler: Record<string, unknown>): boolean {
    const d = current;
    current = undefined;
    // Called outside `fetch()` (another undici that dispatches later): nothing to hook; the attempt then finds
    // `hooked` false and the client falls back to AbortSignals.
    if (d) hook(d, handler);
    return ((globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER] as UndiciDispatcher).dispatch(
      options,
      handler,
    );
  },
};

/** The dispatcher to pass to Node's own fetch, or `undefined` where there is none to wrap (not Node, or no native
 * fetch has run yet: the first request creates the global dispatcher). */
function dispatcherFor(): typeof dispatcher | undefined {
  const global = honoured
    ? ((globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER] as UndiciDispatcher | undefined)
    : undefined;
  return global && typeof global.dispatch === 'function' ? dispatcher : undefined;
}

/**
 * Arm attempt `d` for Node's own fetch: the dispatcher in `init` (the caller's signal as is), or undefined when
 * there is none to wrap (the attempt then takes an AbortController).
 */
export function dispatchArm(
  d: Deadline,
  init: RequestInit & { dispatcher?: unknown },
  user: AbortSignal | undefined,
): { d: Deadline; dispatched: boolean; stop: () => void } | undefined {
  const dispatcher = dispatcherFor();
  if (!dispatcher) return undefined;
  init.dispatcher = dispatcher;
  if (user) init.signal = user;
  return { d, dispatched: true, stop: () => settle(d) };
}

/** Call `fetch` for attempt `d` (its dispatcher in `init`): marks the attempt for the synchronous `dispatch`. */
export function fetchWith(d: Deadline, url: string, init: RequestInit): Promise<Response> {
  current = d;
  try {
    return fetch(url, init);
  } finally {
    current = undefined;
  }
}

/** Wait for `p`, or reject with the deadline's error as soon as it passes (an answer arriving later is dropped). */
export function guard<T>(d: Deadline, p: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    d.reject = reject;
    p.then((v) => {
      if (d.expired && v instanceof Response) v.body?.cancel().catch(() => {});
      resolve(v);
    }, reject);
  });
}

/** After the headers: a fetch that never called the dispatcher ignores it; stop passing one. */
export const checkHonoured = (d: Deadline): void => {
  if (!d.hooked) honoured = false;
};

// ---------------------------------------------------------------------------------------------------------------
// The direct path: an attempt handed to Node's global dispatcher as Node's fetch would hand it, without `fetch()`.
//
// Node's fetch spends most of a loopback call in the WHATWG machinery around the dispatcher (a Request, its Headers
// and signal, body streams, the fetch controller): measured at ~4x the cost of the dispatch itself (bench/run.mjs).
// The client reads every body whole and within a cap anyway, so it sends the request to the same dispatcher (a
// proxy agent or a MockAgent set with undici's `setGlobalDispatcher` still applies, and undici's diagnostics
// channels still see the request), with the headers, decoding and errors Node's fetch would give, and builds the
// `Response` once the body is in. Only when `globalThis.fetch` is Node's own fetch, unchanged since this module
// loaded: a patched or polyfilled fetch (msw, nock, a test spy) keeps every request going through it. See
// docs/decisions/client-transport.md.
// ---------------------------------------------------------------------------------------------------------------

const nativeFetch = globalThis.fetch;
/** Node's own fetch: its source names the undici it lazily loads (every Node from 18 to 25 does). */
const isNative =
  typeof nativeFetch === 'function' &&
  /internal\/deps\/undici/.test(Function.prototype.toString.call(nativeFetch));

/** Headers Node's fetch adds when the request has none of its own (what a store saw from the client before). */
const FETCH_DEFAULTS = {
  accept: '*/*',
  'accept-language': '*',
  'sec-fetch-mode': 'cors',
  'user-agent': 'node',
};
const NULL_BODY = new Set([101, 204, 205, 304]);
/** A body read by the direct path, until readBody takes it: the bytes, or why they were refused (over the cap). */
const held = new WeakMap<Response, { bytes?: Uint8Array; over?: string }>();
/** The abort reason of a body over the cap (never surfaces: the attempt resolves with `over`). */
const OVER = new Error('over the size cap');

type Zlib = typeof import('node:zlib');
let zlib: Promise<Zlib> | undefined;

type OneShot = (b: Buffer, o: object, cb: (e: Error | null, r: Buffer) => void) => void;
const zstd = (z: Zlib) => (z as { zstdDecompress?: OneShot }).zstdDecompress;

/** Decode `bytes` as Node's fetch does (the codings in reverse order; an unknown one leaves the body as it is). */
async function decode(codings: string[], bytes: Buffer, max: number): Promise<Buffer> {
  zlib ??= import('node:zlib');
  const z = await zlib;
  const gz = { finishFlush: z.constants.Z_SYNC_FLUSH, maxOutputLength: max };
  const br = { finishFlush: z.constants.BROTLI_OPERATION_FLUSH, maxOutputLength: max };
  const steps: ((b: Buffer) => Promise<Buffer>)[] = [];
  const run = (f: OneShot, o: object) => (b: Buffer) =>
    new Promise<Buffer>((resolve, reject) => f(b, o, (e, r) => (e ? reject(e) : resolve(r))));
  for (let i = codings.length - 1; i >= 0; i--) {
    const c = codings[i]!.trim();
    if (c === 'gzip' || c === 'x-gzip') steps.push(run(z.gunzip, gz));
    // `deflate` is zlib-wrapped by the standard, raw in some servers: told apart by the first byte, as fetch does.
    else if (c === 'deflate')
      steps.push((b) => run((b[0]! & 0x0f) === 0x08 ? z.inflate : z.inflateRaw, gz)(b));
    else if (c === 'br') steps.push(run(z.brotliDecompress, br));
    // zstd where this Node has it (22.15+, 24): Node 24's fetch decodes it too; Node 20's leaves it as it came.
    else if (c === 'zstd' && zstd(z)) steps.push(run(zstd(z)!, { maxOutputLength: max }));
    else return bytes;
  }
  for (const step of steps) bytes = await step(bytes);
  return bytes;
}

/** What Node's fetch would have rejected with for a failure of the dispatch (the cause carries the code). */
const failed = (e: unknown, afterHeaders: boolean) =>
  new TypeError(afterHeaders ? 'terminated' : 'fetch failed', { cause: e });

function direct(
  d: Deadline | undefined,
  url: string,
  init: RequestInit,
  max: number,
  shownUrl: string | undefined,
): Promise<Response> | undefined {
  const global = (globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER] as UndiciDispatcher | undefined;
  if (!isNative || globalThis.fetch !== nativeFetch || !honoured || typeof global?.dispatch !== 'function')
    return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined; // fetch's own error for a bad URL
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  const method = init.method ?? 'GET';
  const body = init.body as string | Uint8Array | undefined | null;
  const given = init.headers as Record<string, string>;
  const headers: Record<string, string> = { ...FETCH_DEFAULTS, ...given };
  // What fetch adds or drops: its accepted codings, a string body's type, never a caller's `host`.
  headers['accept-encoding'] ??= u.protocol === 'https:' ? 'br, gzip, deflate' : 'gzip, deflate';
  if (typeof body === 'string' && headers['content-type'] === undefined)
    headers['content-type'] = 'text/plain;charset=UTF-8';
  if (headers.host !== undefined) delete headers.host;
  const user = init.signal ?? undefined;
  if (user?.aborted) return Promise.reject(user.reason);
  return new Promise<Response>((resolve, reject) => {
    let abort: ((reason: unknown) => void) | undefined;
    /** Built at the headers: a status or header a WHATWG `Response` cannot hold fails the attempt before the body. */
    let response: Response | undefined;
    /** The final answer's headers came (a failure from then on is fetch's `terminated`). */
    let started = false;
    let over: string | undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    // The caller's abort ends the wait at once, connected or not (a request still waiting for a socket is aborted
    // when it gets one, in onConnect).
    const onAbort = () => {
      abort?.(user!.reason);
      failWith(user!.reason);
    };
    user?.addEventListener('abort', onAbort);
    const done = () => user?.removeEventListener('abort', onAbort);
    const failWith = (e: unknown) => {
      done();
      // The deadline's or the caller's own reason as it is; anything else as fetch words it.
      reject((d && e === d.expired) || (user?.aborted && e === user.reason) ? e : failed(e, started));
    };
    /** Refuse the body over the cap: the connection is dropped, the attempt resolves with `over` (see readBody). */
    const refuse = (why: string) => {
      over = why;
      abort?.(OVER);
    };
    const answer = (bytes: Buffer | undefined) => {
      done();
      if (shownUrl) Object.defineProperty(response, 'url', { value: shownUrl });
      held.set(response!, over ? { over } : { bytes: bytes ?? EMPTY });
      resolve(response!);
    };
    const handler = {
      onConnect(a: (reason: unknown) => void) {
        abort = a;
        if (d) {
          d.hooked = true;
          d.abort = a;
        }
        if (d?.expired) a(d.expired);
        else if (user?.aborted) a(user.reason);
      },
      onHeaders(status: number, raw: (Buffer | string)[], _resume: unknown, statusText: string) {
        if (status < 200) return true; // 1xx: the final answer follows
        started = true;
        try {
          const headers = new Headers();
          for (let i = 0; i < raw.length; i += 2) headers.append(text(raw[i]!), text(raw[i + 1]!));
          // The constructor stops at 599; Node's fetch passes a status up to 999 on (a broken or hostile store), and
          // so does this path: the caller gets its `WooApiError` with that status, as through fetch.
          response = new Response(null, {
            status: Math.min(status, 599),
            statusText: statusText ?? '',
            headers,
          });
          if (status > 599) Object.defineProperty(response, 'status', { value: status });
        } catch (e) {
          // A header value or status text fetch refuses: the attempt fails as fetch's would (`terminated`).
          abort?.(e);
          return false;
        }
        // A declared length over the cap is refused before reading (compressed bytes: inflated, larger still).
        const declared = response.headers.get('content-length');
        if (
          method !== 'HEAD' &&
          !NULL_BODY.has(status) &&
          declared &&
          /^\d+$/.test(declared) &&
          Number(declared) > max
        )
          refuse(`the store declares ${declared}`);
        return true;
      },
      onData(chunk: Buffer) {
        size += chunk.length;
        if (size > max) {
          refuse(`more than ${max} bytes arrived`);
          return false;
        }
        chunks.push(chunk);
        return true;
      },
      onComplete() {
        const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
        const { status, headers } = response!;
        const encoding = method !== 'HEAD' && !NULL_BODY.has(status) && headers.get('content-encoding');
        const codings = encoding ? encoding.toLowerCase().split(',') : [];
        if (!codings.length || !bytes.length) return answer(bytes);
        if (codings.length > 5)
          return failWith(
            new Error(`too many content-encodings in response: ${codings.length}, maximum allowed is 5`),
          );
        decode(codings, bytes, max).then(answer, (e: { code?: string }) => {
          if (e?.code !== 'ERR_BUFFER_TOO_LARGE') return failWith(e);
          over = `more than ${max} bytes arrived`;
          answer(undefined);
        });
      },
      onError(e: unknown) {
        if (over) answer(undefined);
        else failWith(e);
      },
    };
    try {
      global.dispatch(
        {
          origin: u.origin,
          path: u.pathname + u.search,
          method,
          headers,
          body: body ?? null,
          maxRedirections: 0,
        },
        handler,
      );
    } catch (e) {
      failWith(e);
    }
  });
}

const EMPTY = Buffer.alloc(0);
const text = (v: Buffer | string) => (typeof v === 'string' ? v : v.toString('latin1'));

/** The Node-only path of an attempt, for transport.ts (none on the other side of `#dispatch`). */
export const node: NodeDispatch | null = {
  arm: dispatchArm,
  fetchWith,
  guard,
  checkHonoured,
  direct,
  held: (response, as) => {
    const h = held.get(response);
    // Read once: the bytes are not kept for as long as the caller keeps the response (a result's `response`).
    held.delete(response);
    if (!h?.bytes) return h;
    const b = h.bytes as Buffer;
    // As `Response.text()` decodes: UTF-8, a byte order mark dropped (some WordPress plugins print one).
    if (as === 'bytes') return { body: b };
    return {
      body: b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? b.toString('utf8', 3) : b.toString('utf8'),
    };
  },
};
