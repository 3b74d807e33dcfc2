/**
 * The retry and timeout middleware for a plain openapi-fetch client (`retryMiddleware`, `armedFetch`). Its own module
 * so that an app using only `createWooClient` does not load openapi-fetch's runtime (see docs/decisions/client-bundle.md).
 */

/**
 * The retry and timeout middleware for a plain openapi-fetch client (`retryMiddleware`, `armedFetch`). Its own module
 * so that an app using only `createWooClient` does not load openapi-fetch's runtime (see docs/decisions/client-bundle.md).
 */
import { defaultPathSerializer } from 'openapi-fetch';
import { WooAbortError, WooCommerceError, WooNetworkError, WooTimeoutError } from './errors.js';
import { defaultSleep } from './fail.js';
import {
  type Arm,
  type PerRequestOptions,
  type Resolved,
  resolveRetry,
  type TransportOptions,
} from './retry.js';
import { parseRetryAfter } from './retry-after.js';

const never = new AbortController().signal;

import type { Middleware } from './types.js';

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
        await (cfg.sleep ?? defaultSleep)(delay, signal);
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
