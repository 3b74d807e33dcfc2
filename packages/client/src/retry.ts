import type { Middleware } from 'openapi-fetch';
import { defaultPathSerializer } from 'openapi-fetch';
import { WooAbortError, WooCommerceError, WooNetworkError, WooTimeoutError } from './errors.js';

export interface RetryOptions {
  /** Attempts in all, the first included. Default 3; 1 disables retrying. */
  maxAttempts?: number;
  /** Methods retried. Default GET, HEAD, OPTIONS, PUT, DELETE: POST is not idempotent, opt in with care. */
  methods?: readonly string[];
  /** Statuses retried. Default 429, 502, 503, 504. */
  statuses?: readonly number[];
  /** First backoff step in ms (doubles each attempt, full jitter). Default 300. */
  baseDelayMs?: number;
  /** Cap on one backoff wait in ms. Default 10 000. */
  maxDelayMs?: number;
  /** Give up rather than wait when a `Retry-After` asks for more than this, in ms. Default 60 000. */
  maxRetryAfterMs?: number;
  /** Wait function (tests inject a fast or recording one). Must reject when the signal aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Source of jitter in [0, 1). Default Math.random. */
  random?: () => number;
  /** Called before each retry; never receives credentials. */
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  method: string;
  path: string;
  /** The attempt about to be made (2 for the first retry). */
  attempt: number;
  delayMs: number;
  status?: number;
  error?: WooCommerceError;
}

export interface TransportOptions {
  retry?: RetryOptions | false;
  /** Per-attempt timeout in ms (covers reading the body too). Default 30 000; 0 disables. */
  timeoutMs?: number;
  /** Re-authenticate a request before it is sent again (a fresh OAuth nonce and signature). */
  beforeRetry?: (request: Request) => Request | Promise<Request>;
}

/** Per-request options, passed in the init of a call: `client.GET(path, { retry: false, timeout: 5000 })`. */
export interface PerRequestOptions {
  retry?: RetryOptions | false;
  timeout?: number;
}

const DEFAULT_METHODS = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'];
const DEFAULT_STATUSES = [429, 502, 503, 504];

export function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** `Retry-After` in ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

interface Resolved {
  maxAttempts: number;
  methods: readonly string[];
  statuses: readonly number[];
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  random: () => number;
  onRetry: ((info: RetryInfo) => void) | undefined;
}

function resolve(
  base: RetryOptions | false | undefined,
  per: RetryOptions | false | undefined,
): Resolved | null {
  if (base === false && per === undefined) return null;
  if (per === false) return null;
  const o = { ...(base || {}), ...(per || {}) };
  const maxAttempts = o.maxAttempts ?? 3;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new TypeError(`retry.maxAttempts must be an integer >= 1; got ${String(o.maxAttempts)}`);
  }
  return {
    maxAttempts,
    methods: (o.methods ?? DEFAULT_METHODS).map((m) => m.toUpperCase()),
    statuses: o.statuses ?? DEFAULT_STATUSES,
    baseDelayMs: o.baseDelayMs ?? 300,
    maxDelayMs: o.maxDelayMs ?? 10_000,
    maxRetryAfterMs: o.maxRetryAfterMs ?? 60_000,
    sleep: o.sleep ?? defaultSleep,
    random: o.random ?? Math.random,
    onRetry: o.onRetry,
  };
}

interface State {
  cfg: Resolved | null;
  timeoutMs: number;
  /** The caller's signal, before the timeout is combined into it. */
  userSignal: AbortSignal;
  /** A copy taken before the first send, for methods with a body (a sent body cannot be read again). */
  stash: Request | undefined;
  method: string;
  path: string;
  cleanup: (() => void) | undefined;
  fetch: (request: Request) => Promise<Response>;
}

const releases = new WeakMap<Response, () => void>();

/** @internal Stop the timeout timer of a response whose body has been read. */
export function releaseResponse(response: Response): void {
  const f = releases.get(response);
  if (f) {
    releases.delete(response);
    f();
  }
}

/** Apply a per-attempt timeout and the caller's signal to one attempt. */
function arm(request: Request, st: State): Request {
  if (st.timeoutMs <= 0) return request;
  const ctl = new AbortController();
  const user = st.userSignal;
  const onAbort = () => ctl.abort(user.reason);
  if (user.aborted) ctl.abort(user.reason);
  else user.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    ctl.abort(
      new WooTimeoutError({
        code: 'wooapi_timeout',
        message: `no complete answer within ${st.timeoutMs} ms`,
        data: { timeoutMs: st.timeoutMs },
        method: st.method,
        path: st.path,
      }),
    );
  }, st.timeoutMs);
  // Never keep a process alive just for a timer (Node, Bun, Deno all expose unref on timers or ignore it).
  (timer as unknown as { unref?: () => void }).unref?.();
  st.cleanup = () => {
    clearTimeout(timer);
    user.removeEventListener('abort', onAbort);
  };
  return new Request(request, { signal: ctl.signal });
}

/** Turn whatever `fetch` threw into a typed error. */
export function toTypedError(
  error: unknown,
  userSignal: AbortSignal | undefined,
  method: string,
  path: string,
) {
  if (error instanceof WooCommerceError) return error;
  if (userSignal?.aborted) {
    return new WooAbortError({
      code: 'wooapi_aborted',
      message: 'the request was aborted by the caller',
      method,
      path,
      cause: error,
    });
  }
  const name = (error as { name?: string } | null)?.name;
  if (name === 'TimeoutError') {
    return new WooTimeoutError({
      code: 'wooapi_timeout',
      message: 'the request timed out',
      method,
      path,
      cause: error,
    });
  }
  if (name === 'AbortError') {
    return new WooAbortError({
      code: 'wooapi_aborted',
      message: 'the request was aborted',
      method,
      path,
      cause: error,
    });
  }
  const inner = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const detail =
    typeof inner?.code === 'string'
      ? inner.code
      : typeof inner?.message === 'string'
        ? inner.message
        : undefined;
  return new WooNetworkError({
    code: 'wooapi_network_error',
    message: `network failure${detail ? ` (${detail})` : ''}: no answer from the store`,
    method,
    path,
    cause: error,
  });
}

function backoff(cfg: Resolved, retryNumber: number): number {
  const ceiling = Math.min(cfg.maxDelayMs, cfg.baseDelayMs * 2 ** (retryNumber - 1));
  return Math.floor(cfg.random() * ceiling);
}

/**
 * openapi-fetch middleware: per-attempt timeout, and retries with exponential backoff and full jitter on 429, 502,
 * 503, 504 and network errors, honouring `Retry-After`. Register it after the auth middleware so that its
 * `onRequest` sees the final request; re-authentication on retry goes through `beforeRetry`.
 */
export function retryMiddleware(options: TransportOptions = {}): Middleware {
  const states = new Map<string, State>();
  const timeoutDefault = options.timeoutMs ?? 30_000;

  async function again(st: State, last: Request): Promise<Response> {
    let next = st.stash ? st.stash.clone() : new Request(last);
    if (options.beforeRetry) next = await options.beforeRetry(next);
    st.cleanup?.();
    return st.fetch(arm(next, st));
  }

  async function loop(
    st: State,
    request: Request,
    first: { response: Response } | { error: WooCommerceError },
  ): Promise<Response | WooCommerceError> {
    const cfg = st.cfg!;
    let outcome = first;
    for (let attempt = 2; attempt <= cfg.maxAttempts; attempt++) {
      let delay: number;
      if ('response' in outcome) {
        const ra = parseRetryAfter(outcome.response.headers.get('retry-after'));
        if (ra !== undefined && ra > cfg.maxRetryAfterMs) break;
        delay = ra ?? backoff(cfg, attempt - 1);
        // Free the connection before waiting.
        await outcome.response.body?.cancel().catch(() => {});
      } else {
        delay = backoff(cfg, attempt - 1);
      }
      cfg.onRetry?.({
        method: st.method,
        path: st.path,
        attempt,
        delayMs: delay,
        ...('response' in outcome ? { status: outcome.response.status } : { error: outcome.error }),
      });
      try {
        await cfg.sleep(delay, st.userSignal);
      } catch (e) {
        return toTypedError(e, st.userSignal, st.method, st.path);
      }
      try {
        const response = await again(st, request);
        if (!cfg.statuses.includes(response.status) || attempt === cfg.maxAttempts) return response;
        outcome = { response };
      } catch (e) {
        const err = toTypedError(e, st.userSignal, st.method, st.path);
        if (err.code === 'wooapi_aborted') return err;
        outcome = { error: err };
      }
    }
    return 'response' in outcome ? outcome.response : outcome.error;
  }

  return {
    onRequest({ request, schemaPath, params, id, options: merged }) {
      const props = request as unknown as PerRequestOptions;
      const cfg = resolve(options.retry, props.retry);
      const method = request.method.toUpperCase();
      const retryable = cfg !== null && cfg.maxAttempts > 1 && cfg.methods.includes(method);
      const timeoutMs = props.timeout ?? timeoutDefault;
      if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0)) {
        throw new TypeError(`timeout must be a number of milliseconds >= 0; got ${String(timeoutMs)}`);
      }
      if (!retryable && timeoutMs <= 0) return undefined;
      const st: State = {
        cfg: retryable ? cfg : null,
        timeoutMs,
        userSignal: request.signal,
        stash: retryable && request.body !== null ? request.clone() : undefined,
        method,
        path: defaultPathSerializer(schemaPath, (params.path ?? {}) as Record<string, unknown>),
        cleanup: undefined,
        fetch: merged.fetch as (r: Request) => Promise<Response>,
      };
      states.set(id, st);
      return arm(request, st);
    },
    async onResponse({ request, response, id }) {
      const st = states.get(id);
      if (!st) return undefined;
      states.delete(id);
      let final: Response | WooCommerceError = response;
      if (st.cfg?.statuses.includes(response.status)) final = await loop(st, request, { response });
      if (final instanceof WooCommerceError) {
        st.cleanup?.();
        throw final;
      }
      if (st.cleanup) releases.set(final, st.cleanup);
      return final === response ? undefined : final;
    },
    async onError({ request, error, id, schemaPath, params }) {
      const st = states.get(id);
      if (!st) {
        const path = defaultPathSerializer(schemaPath, (params.path ?? {}) as Record<string, unknown>);
        return toTypedError(error, request.signal, request.method, path);
      }
      states.delete(id);
      const typed = toTypedError(error, st.userSignal, st.method, st.path);
      if (!st.cfg || typed.code === 'wooapi_aborted') {
        st.cleanup?.();
        return typed;
      }
      const final = await loop(st, request, { error: typed });
      if (final instanceof WooCommerceError) {
        st.cleanup?.();
        return final;
      }
      if (st.cleanup) releases.set(final, st.cleanup);
      return final;
    },
  };
}
