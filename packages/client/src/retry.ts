import { configError, type WooCommerceError } from './errors.js';

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
 * copies from the init onto the Request.
 */
export interface Arm {
  user: AbortSignal | undefined;
  ms: number;
  method: string;
  path: string;
  stop?: () => void;
}

/**
 * @internal Retry options with every default filled in but `sleep`: its default, `defaultSleep` in fail.ts, is taken
 * where the wait happens (fail.ts's `backoff`, and `retryMiddleware`), so the entry of an app does not carry it.
 */
export type ResolvedRetry = Required<Omit<RetryOptions, 'onRetry' | 'sleep'>> &
  Pick<RetryOptions, 'onRetry' | 'sleep'>;
export type Resolved = ResolvedRetry;

/** @internal */
export const resolveRetry = (o: RetryOptions): Resolved => {
  const r = {
    maxAttempts: 3,
    methods: ['GET', 'HEAD', 'OPTIONS'],
    statuses: [429, 502, 503, 504],
    baseDelayMs: 300,
    maxDelayMs: 10_000,
    maxRetryAfterMs: 60_000,
    random: Math.random,
    ...o,
  };
  if (!Number.isInteger(r.maxAttempts) || r.maxAttempts < 1) {
    throw configError('retry.maxAttempts must be an integer >= 1');
  }
  r.methods = r.methods.map((m) => m.toUpperCase());
  return r;
};

/**
 * @internal The retry of one call, from the client's `retry` option and its resolution: a call's `false` turns it off,
 * its own options override the client's, none keeps the client's.
 */
export const retryForCall =
  (client: RetryOptions | false | undefined, resolved: ResolvedRetry | null) =>
  (r: RetryOptions | false | undefined): ResolvedRetry | null =>
    r === false ? null : r ? resolveRetry({ ...(client || {}), ...r }) : resolved;
