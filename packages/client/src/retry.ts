import type { Middleware } from 'openapi-fetch';
import { defaultPathSerializer } from 'openapi-fetch';
import { configError, WooAbortError, WooCommerceError, WooNetworkError, WooTimeoutError } from './errors.js';

export interface RetryOptions {
  /** Attempts in all, the first included. Default 3; 1 disables retrying. */
  maxAttempts?: number;
  /**
   * Methods retried. Default GET, HEAD, OPTIONS. Writes only when you opt in: WooCommerce's PUT is not idempotent
   * (a line item sent without `id` is added again on each try) and a DELETE retried after a lost answer fails with
   * 404 although the delete happened.
   */
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

/**
 * @internal The timeout and caller signal of one call, shared by the client, this middleware and `armedFetch`
 * (which applies them to each attempt). Travels as the `_woo` property openapi-fetch
 * copies from the init onto the Request.
 */
export interface Arm {
  user: AbortSignal | undefined;
  ms: number;
  method: string;
  path: string;
  stop?: () => void;
}

const never = new AbortController().signal;

export const defaultSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const abort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    const t = setTimeout(() => {
      signal.removeEventListener('abort', abort);
      resolve();
    }, ms);
    signal.addEventListener('abort', abort);
  });

/** `Retry-After` in ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(+v * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** @internal A signal that fires on the caller's abort or after `arm.ms`; `arm.stop` clears the timer. */
export function armSignal(arm: Arm): AbortSignal | undefined {
  arm.stop?.();
  if (!(arm.ms > 0)) return arm.user;
  const ctl = new AbortController();
  const { user } = arm;
  const onAbort = () => ctl.abort(user?.reason);
  if (user?.aborted) onAbort();
  user?.addEventListener('abort', onAbort);
  const timer = setTimeout(
    () =>
      ctl.abort(
        new WooTimeoutError({
          code: 'wooapi_timeout',
          message: `timed out after ${arm.ms} ms`,
          method: arm.method,
          path: arm.path,
        }),
      ),
    arm.ms,
  );
  // Never keep a process alive just for this timer (Node, Bun and Deno timers have unref; browsers ignore it).
  (timer as { unref?: () => void }).unref?.();
  arm.stop = () => {
    clearTimeout(timer);
    user?.removeEventListener('abort', onAbort);
  };
  return ctl.signal;
}

/** @internal Turn whatever `fetch` threw into a typed error. */
export function toTypedError(error: unknown, user: AbortSignal | undefined, method: string, path: string) {
  if (error instanceof WooCommerceError) return error;
  const base = { method, path, cause: error };
  if (user?.aborted || (error as Error | null)?.name === 'AbortError') {
    return new WooAbortError({ code: 'wooapi_aborted', message: 'request aborted', ...base });
  }
  const inner = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const detail = inner?.code ?? inner?.message;
  return new WooNetworkError({
    code: 'wooapi_network_error',
    message: `network failure${typeof detail === 'string' ? ` (${detail})` : ''}`,
    ...base,
  });
}

type Fetch = (request: Request) => Promise<Response>;

/**
 * The client's fetch: applies each attempt's timeout and the caller's signal. Give it to openapi-fetch
 * (`createClient({ fetch: armedFetch() })`) when composing `retryMiddleware` by hand. With the runtime's fetch it
 * sends `fetch(url, init)` rather than `fetch(request)`: re-reading a Request makes the runtime copy it and follow
 * its signal, which costs more than the request itself on a fast network.
 */
export function armedFetch(custom?: Fetch): Fetch {
  return async (request: Request) => {
    const arm = (request as { _woo?: Arm })._woo;
    const signal = arm ? armSignal(arm) : undefined;
    if (custom) return custom(signal ? new Request(request, { signal }) : request);
    return fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body && (await request.arrayBuffer()),
      signal: signal ?? request.signal,
    });
  };
}

/** @internal Retry options with every default filled in. */
export type ResolvedRetry = Required<Omit<RetryOptions, 'onRetry'>> & Pick<RetryOptions, 'onRetry'>;
type Resolved = ResolvedRetry;

/** @internal */
export const resolveRetry = (o: RetryOptions): Resolved => {
  const r = {
    maxAttempts: 3,
    methods: ['GET', 'HEAD', 'OPTIONS'],
    statuses: [429, 502, 503, 504],
    baseDelayMs: 300,
    maxDelayMs: 10_000,
    maxRetryAfterMs: 60_000,
    sleep: defaultSleep,
    random: Math.random,
    ...o,
  };
  if (!Number.isInteger(r.maxAttempts) || r.maxAttempts < 1) {
    throw configError('retry.maxAttempts must be an integer >= 1');
  }
  r.methods = r.methods.map((m) => m.toUpperCase());
  return r;
};

interface State {
  cfg: Resolved;
  arm: Arm;
  /** A copy taken before the first send, for methods with a body (a sent body cannot be read again). */
  stash: Request | undefined;
  fetch: Fetch;
}

/**
 * openapi-fetch middleware: per-attempt timeout, and retries with exponential backoff and full jitter on 429, 502,
 * 503, 504 and network errors, honouring `Retry-After`. Register it after the auth middleware so that it sees the
 * final request; re-authentication on retry goes through `beforeRetry`.
 */
export function retryMiddleware(options: TransportOptions = {}): Middleware {
  const states = new Map<string, State>();
  const base = options.retry === false ? null : resolveRetry(options.retry ?? {});

  async function loop(st: State, request: Request, first: Response | WooCommerceError) {
    const { cfg, arm } = st;
    const signal = arm.user ?? never;
    let outcome = first;
    for (let attempt = 2; attempt <= cfg.maxAttempts; attempt++) {
      let delay = Math.floor(cfg.random() * Math.min(cfg.maxDelayMs, cfg.baseDelayMs * 2 ** (attempt - 2)));
      if (outcome instanceof Response) {
        const ra = parseRetryAfter(outcome.headers.get('retry-after'));
        if (ra !== undefined && ra > cfg.maxRetryAfterMs) break;
        delay = ra ?? delay;
        // Free the connection before waiting.
        await outcome.body?.cancel().catch(() => {});
      }
      cfg.onRetry?.({
        method: arm.method,
        path: arm.path,
        attempt,
        delayMs: delay,
        ...(outcome instanceof Response ? { status: outcome.status } : { error: outcome }),
      });
      try {
        await cfg.sleep(delay, signal);
        let next = st.stash ? st.stash.clone() : new Request(request);
        if (options.beforeRetry) next = await options.beforeRetry(next);
        (next as { _woo?: Arm })._woo = arm;
        outcome = await st.fetch(next);
        if (!cfg.statuses.includes(outcome.status)) break;
      } catch (e) {
        outcome = toTypedError(e, arm.user, arm.method, arm.path);
        if (outcome.code === 'wooapi_aborted') break;
      }
    }
    return outcome;
  }

  return {
    onRequest({ request, schemaPath, params, id, options: merged }) {
      const props = request as unknown as PerRequestOptions & { _woo?: Arm };
      const cfg =
        props.retry === false
          ? null
          : props.retry
            ? resolveRetry({ ...options.retry, ...props.retry })
            : base;
      let arm = props._woo;
      if (!arm) {
        const ms = props.timeout ?? options.timeoutMs ?? 30_000;
        const path = defaultPathSerializer(schemaPath, params.path ?? {});
        arm = { user: request.signal, ms, method: request.method, path };
      }
      const retryable = !!cfg && cfg.maxAttempts > 1 && cfg.methods.includes(request.method);
      if (retryable) {
        states.set(id, {
          cfg,
          arm,
          stash: request.body ? request.clone() : undefined,
          fetch: merged.fetch as Fetch,
        });
      }
      // The raw client path (no client wrapper made the arm): armedFetch applies it from the Request.
      props._woo = arm;
      return undefined;
    },
    async onResponse({ request, response, id }) {
      const st = states.get(id);
      if (!st) return undefined;
      states.delete(id);
      if (!st.cfg.statuses.includes(response.status)) return undefined;
      const final = await loop(st, request, response);
      if (final instanceof Response) return final;
      throw final;
    },
    async onError({ request, error, id, schemaPath, params }) {
      const st = states.get(id);
      states.delete(id);
      const typed = toTypedError(
        error,
        st?.arm.user ?? request.signal,
        request.method,
        st?.arm.path ?? defaultPathSerializer(schemaPath, params.path ?? {}),
      );
      if (!st || typed.code === 'wooapi_aborted') return typed;
      return loop(st, request, typed);
    },
  };
}
