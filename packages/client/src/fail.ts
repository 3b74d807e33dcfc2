/**
 * The cold side of the client: every long error text and diagnostic (network failures explained, redirect refusals,
 * the size cap, 401 hints, retries given up, paging refusals) and the rare paths of a call (following a redirect, the
 * retry wait, typing a failed or expired attempt). Only reached after something failed, was redirected or is retried,
 * always from async code, so it is a chunk loaded with `import()` on first use; the error classes stay in the entry
 * (configuration errors are synchronous) and are handed to it (`init`, below).
 */

import type { ClientContext } from './client.js';
import type * as Errors from './errors.js';
import type { ErrorContext } from './errors.js';
import type { ResolvedRetry } from './retry.js';
import type { Call, ColdDeps, Transport } from './transport.js';

/**
 * What this chunk uses of the entry's modules (the error classes, `stripCredentials`, `parseRetryAfter`,
 * `configError`), handed over by whoever loads it (`fail` in transport.ts, `batch`) rather than imported: a module
 * imported both by the entry and by this chunk would be split by bundlers into a third, shared chunk on every app's
 * success path. The same class objects either way (errors.ts defines them once). The list is `coldDeps` in
 * transport.ts, a tuple (no property names in the entry); its type is this chunk's bindings, in the same order.
 */
let [
  WooAbortError,
  WooApiError,
  WooCommerceError,
  WooInvalidResponseError,
  WooNetworkError,
  WooPagingError,
  WooRedirectError,
  WooResponseTooLargeError,
  WooTimeoutError,
  stripCredentials,
  parseRetryAfter,
  configError,
] = [] as unknown as ColdDeps;
/** @internal */
export const init = (deps: ColdDeps): void => {
  [
    WooAbortError,
    WooApiError,
    WooCommerceError,
    WooInvalidResponseError,
    WooNetworkError,
    WooPagingError,
    WooRedirectError,
    WooResponseTooLargeError,
    WooTimeoutError,
    stripCredentials,
    parseRetryAfter,
    configError,
  ] = deps;
};

/** A body that is an HTML page (a host's error page, a login screen), by content type or by its first character. */
const isHtml = (text: string, contentType: string | null): boolean =>
  !!contentType?.includes('html') || text.trimStart().startsWith('<');

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const SAFE = new Set(['GET', 'HEAD']);
const never = new AbortController().signal;

/**
 * The retry wait when `retry.sleep` is not given. Defined here, where the client's retries wait (so that an app's
 * entry does not carry it); `retryMiddleware` imports it from here.
 */
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

export type RedirectWhy = 'write' | 'origin' | 'downgrade' | 'count' | 'hidden' | 'nolocation';

const explainNetwork: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing listens there; check the url and port',
  ENOTFOUND: 'DNS lookup failed: no such host; check the url',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed while sending',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the connection was closed before a complete answer',
  UND_ERR_HEADERS_OVERFLOW: 'the response headers are too large',
  CERT_HAS_EXPIRED: 'TLS: the certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS: self-signed certificate in the chain',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: the certificate is for another host name',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS: the certificate cannot be verified',
};

/**
 * Deno's fetch gives its failures no code, only a message (`... tcp connect error: Connection refused (os error
 * 111)`, `... dns error: failed to lookup address information: ...`): the code each such message stands for, so that
 * the error explains it as under Node and Bun (checked under Deno by tests/runtimes).
 */
const CODE_OF_MESSAGE: [RegExp, string][] = [
  [/\bconnection refused\b/i, 'ECONNREFUSED'],
  [/\bdns error\b|failed to lookup address/i, 'ENOTFOUND'],
  [/\bconnection reset\b/i, 'ECONNRESET'],
];

/** Turn whatever fetch threw into a typed error (an abort, or a network failure saying what failed). */
export function networkError(error: unknown, user: AbortSignal | undefined, at: ErrorContext) {
  if (error instanceof WooCommerceError) return error;
  const base = { ...at, cause: error };
  if (user?.aborted || (error as Error | null)?.name === 'AbortError') {
    return new WooAbortError({ code: 'wooapi_aborted', message: 'request aborted', ...base });
  }
  let inner = error as { cause?: unknown; code?: unknown; message?: unknown } | null;
  while (inner?.cause && typeof inner.cause === 'object') inner = inner.cause as typeof inner;
  const message = typeof inner?.message === 'string' ? inner.message : '';
  const code =
    typeof inner?.code === 'string' ? inner.code : CODE_OF_MESSAGE.find(([said]) => said.test(message))?.[1];
  const detail = code ? `${code}: ${explainNetwork[code] ?? String(inner?.message ?? 'failed')}` : undefined;
  const why = detail ?? (typeof inner?.message === 'string' ? inner.message : undefined);
  return new WooNetworkError({
    code: 'wooapi_network_error',
    message: networkMessage(at, why),
    data: why ? { detail: why } : {},
    ...base,
  });
}

const networkMessage = (at: ErrorContext, why: string | undefined) =>
  `network failure reaching ${at.url ? new URL(at.url).host : 'the store'}${why ? ` (${why})` : ''}`;

/** Where a redirect target suggests the store's root is (`https://www.shop.example` for `.../wp-json/wc/v3/x`). */
function suggestRoot(target: URL): string {
  const at = target.pathname.indexOf('/wp-json');
  return `${target.origin}${at >= 0 ? target.pathname.slice(0, at) : ''}`;
}

export function redirectError(
  status: number,
  method: string,
  from: URL,
  location: string | null,
  why: RedirectWhy,
  max: number,
  at: ErrorContext,
): Errors.WooRedirectError {
  let target: URL | undefined;
  try {
    target = location ? new URL(location, from) : undefined;
  } catch {}
  const shown = target ? stripCredentials(`${target.origin}${target.pathname}${target.search}`) : location;
  const use = target ? ` Use the final URL as \`url\`: ${suggestRoot(target)}.` : '';
  const common =
    'WooCommerce stores often redirect http to https, the bare domain to www, or add a trailing slash;';
  const message = {
    write: `the store answered ${status} redirecting this ${method} to ${shown}: a write is never re-sent to a redirect (it could be applied twice, or turned into a GET). ${common}${use}`,
    origin: `the store answered ${status} redirecting to another origin, ${shown}: credentials are never sent to another origin. ${common}${use}`,
    downgrade: `the store answered ${status} redirecting from https to plain http (${shown}): credentials are never sent over plain http.${use}`,
    count: `more than ${max} redirects in a row (the last to ${shown}): a redirect loop? ${common}${use}`,
    hidden: `the store answered with a redirect (the runtime hides where to): ${common} use the final URL as \`url\`.`,
    nolocation: `the store answered ${status} without a Location header`,
  }[why];
  return new WooRedirectError({
    code: 'wooapi_redirect',
    message,
    status,
    data: { status, location: shown ?? null, reason: why },
    ...at,
  });
}

export function tooLarge(max: number, size: string, status: number, at: ErrorContext) {
  return new WooResponseTooLargeError({
    code: 'wooapi_response_too_large',
    message: `the response body is larger than maxResponseBytes (${max} bytes; ${size}): raise maxResponseBytes if this answer is expected, or ask for less (per_page, _fields)`,
    status,
    data: { status, maxResponseBytes: max },
    ...at,
  });
}

/** The likely fixes for a 401 from WooCommerce, from what the client knows. */
export function hints401(t: Transport, method: string, url: URL): string[] {
  const out: string[] = [];
  const { consumerKey: key, consumerSecret: secret } = t;
  if (key?.startsWith('cs_') || secret?.startsWith('ck_'))
    out.push('consumerKey and consumerSecret look swapped (the key starts with ck_, the secret with cs_)');
  if (WRITES.has(method))
    out.push(
      'a key with Read permission cannot write: give it Read/Write (WooCommerce > Settings > Advanced > REST API)',
    );
  if (t.auth.header && url.protocol === 'http:')
    out.push(
      "WooCommerce ignores Basic auth over plain http: use https, or auth: 'oauth1' (the default for an http store)",
    );
  out.push('check that the key exists, is active, and was pasted whole');
  return out;
}

/**
 * A redirect answered to `url` (attempt `count` + 1 in a row): the URL to follow (same origin, GET or HEAD, no
 * downgrade, within `max`), signed afresh by the caller, or a `WooRedirectError` saying why not.
 */
export async function redirect(
  response: Response,
  url: string,
  method: string,
  count: number,
  max: number,
  at: ErrorContext,
): Promise<string> {
  await response.body?.cancel().catch(() => {});
  const { status } = response;
  const from = new URL(url);
  const location = response.headers.get('location');
  let why: RedirectWhy | undefined;
  let target: URL | undefined;
  if (response.type === 'opaqueredirect') why = 'hidden';
  else if (!location) why = 'nolocation';
  else {
    try {
      target = new URL(location, from);
    } catch {
      why = 'nolocation';
    }
    if (!why && target) {
      if (from.protocol === 'https:' && target.protocol === 'http:') why = 'downgrade';
      else if (!SAFE.has(method)) why = 'write';
      else if (target.origin !== from.origin) why = 'origin';
      else if (count >= max) why = 'count';
    }
  }
  if (why) throw redirectError(status, method, from, location, why, max, at);
  // An echoed credential is dropped: the caller signs the new URL afresh.
  return stripCredentials(target!.href);
}

/**
 * An attempt threw (or its deadline passed, `expired`): the typed error, to retry with; thrown, with how many
 * attempts over how long, when it is an abort, a refused redirect, an oversized body, or the `last` attempt.
 */
export function attemptFailed(
  expired: unknown,
  error: unknown,
  call: Call,
  at: ErrorContext,
  last: boolean,
  started: number,
  attempt: number,
): Errors.WooCommerceError {
  const e = expired
    ? new WooTimeoutError({ code: 'wooapi_timeout', message: 'timed out', ...at })
    : networkError(error, call.signal, at);
  if (
    last ||
    e instanceof WooAbortError ||
    e instanceof WooRedirectError ||
    e instanceof WooResponseTooLargeError
  )
    throw finalError(e, attempt, started, call.timeoutMs, at);
  return e;
}

/**
 * Before another attempt: wait the backoff (full jitter) or the store's `Retry-After`, telling `onRetry`. True when
 * the store asks for a wait longer than `maxRetryAfterMs`: that answer is surfaced instead (the caller reads it).
 */
export async function backoff(
  cfg: ResolvedRetry,
  call: Call,
  outcome: Response | Errors.WooCommerceError,
  attempt: number,
  at: ErrorContext,
): Promise<boolean> {
  let delay = Math.floor(cfg.random() * Math.min(cfg.maxDelayMs, cfg.baseDelayMs * 2 ** (attempt - 1)));
  if (outcome instanceof Response) {
    const ra = parseRetryAfter(outcome.headers.get('retry-after'));
    if (ra !== undefined && ra > cfg.maxRetryAfterMs) return true;
    delay = ra ?? delay;
    await outcome.body?.cancel().catch(() => {});
  }
  cfg.onRetry?.({
    method: call.method,
    path: call.path,
    attempt: attempt + 1,
    delayMs: delay,
    ...(outcome instanceof Response ? { status: outcome.status } : { error: outcome }),
  });
  try {
    await (cfg.sleep ?? defaultSleep)(delay, call.signal ?? never);
  } catch (e) {
    throw networkError(e, call.signal, at);
  }
  return false;
}

/** A timeout or network failure says how many attempts were made over how long. */
export function finalError(
  e: Errors.WooCommerceError,
  attempts: number,
  started: number,
  ms: number,
  at: ErrorContext,
) {
  if (!(e instanceof WooTimeoutError || e instanceof WooNetworkError)) return e;
  const took = `${attempts} attempt${attempts > 1 ? 's' : ''} over ${((Date.now() - started) / 1000).toFixed(2)} s`;
  if (e instanceof WooTimeoutError) {
    return new WooTimeoutError({
      code: 'wooapi_timeout',
      message: `timed out: ${took}, each attempt limited to ${ms} ms (raise timeout for a slow store or a large answer)`,
      data: { attempts, timeoutMs: ms },
      ...at,
    });
  }
  const why = e.data.detail as string | undefined;
  return new WooNetworkError({
    code: 'wooapi_network_error',
    message: `${networkMessage(at, why)} after ${took}`,
    data: { ...e.data, attempts },
    cause: e.cause,
    ...at,
  });
}

/** The typed error for a non-2xx answer of a client call, with the likely fixes of a 401. */
export function answerError(
  t: Transport,
  response: Response,
  failed: unknown,
  at: ErrorContext,
  baseUrl: string,
) {
  const hints = response.status === 401 ? hints401(t, at.method, new URL(baseUrl)) : undefined;
  const err = errorFromResponse(
    response.status,
    failed,
    response.headers.get('content-type'),
    at,
    hints ? `; likely fixes: ${hints.join('; ')}` : '',
  );
  if (hints) (err.data as { hints?: string[] }).hints = hints;
  return err;
}

/** @internal A short, single-line excerpt of a body for error data. */
export const snippet = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat;
};

/** @internal Build the typed error for a non-2xx answer, from whatever body the store sent. */
export function errorFromResponse(
  status: number,
  body: unknown,
  contentType: string | null,
  at: ErrorContext,
  hint = '',
): Errors.WooCommerceError {
  const env = body as { code?: unknown; message?: unknown; data?: unknown } | null;
  if (typeof env?.code === 'string') {
    return new WooApiError({
      code: env.code,
      message: String(env.message || `HTTP ${status}`) + hint,
      status,
      data: env.data && typeof env.data === 'object' ? (env.data as Record<string, unknown>) : { status },
      ...at,
    });
  }
  const text = typeof body === 'string' ? body : '';
  return isHtml(text, contentType)
    ? invalidResponse(status, 'an HTML page instead of JSON', text, contentType, at)
    : new WooApiError({
        code: 'wooapi_http_error',
        message: `HTTP ${status}${text ? `: ${snippet(text)}` : ' with an empty body'}${hint}`,
        status,
        data: { status, contentType },
        ...at,
      });
}

/** @internal */
export const invalidResponse = (
  status: number,
  why: string,
  text: string,
  contentType: string | null,
  at: ErrorContext,
) =>
  new WooInvalidResponseError({
    code: 'wooapi_invalid_response',
    message: `HTTP ${status}: ${why}`,
    status,
    data: { status, contentType, snippet: snippet(text) },
    ...at,
  });

/** A 2xx body that is not JSON: an empty body, an HTML page (a host's error page, a login screen), or truncated. */
export function unparsed(response: Response, body: string, at: ErrorContext) {
  const contentType = response.headers.get('content-type');
  const why = !body
    ? 'an empty body instead of JSON'
    : isHtml(body, contentType)
      ? 'an HTML page instead of JSON'
      : 'invalid or truncated JSON';
  return invalidResponse(response.status, why, body, contentType, at);
}

/** Why paging stopped: a repeated page, a page over `per_page`, a list over `maxPages`, or not a list at all. */
export type PagingWhy =
  | ['long', max: number, totalPages: number | undefined]
  | ['repeat', page: number]
  | ['perPage', page: number, perPage: number, items: number]
  | ['array', status: number, data: unknown];

export function pagingError(ctx: ClientContext | undefined, path: string, why: PagingWhy) {
  const at = { method: 'GET', path, ...(ctx ? { url: ctx.baseUrl + path, secrets: ctx.secrets } : {}) };
  if (why[0] === 'array') {
    const data = why[2];
    return new WooInvalidResponseError({
      code: 'wooapi_invalid_response',
      message: `expected a JSON array from a list path, got ${data === null ? 'null' : typeof data}`,
      status: why[1],
      method: 'GET',
      path,
    });
  }
  let message: string;
  let data: Record<string, unknown>;
  if (why[0] === 'long') {
    const [, max, totalPages] = why;
    message = `the list has more than maxPages (${max}) pages${totalPages === undefined ? '' : ` (X-WP-TotalPages: ${totalPages})`}: raise maxPages, or narrow the query (filters, dates)`;
    data = { maxPages: max, ...(totalPages === undefined ? {} : { totalPages }) };
  } else if (why[0] === 'repeat') {
    const page = why[1];
    message = `page ${page} holds the same items as page ${page - 1}: the store (or a cache in front of it) ignores \`page\`; paging stopped rather than loop`;
    data = { page };
  } else {
    const [, page, perPage, items] = why;
    message = `page ${page} has ${items} items, more than per_page ${perPage}: the store ignores per_page, so paging would skip or repeat items`;
    data = { page, perPage, items };
  }
  return new WooPagingError({ code: 'wooapi_paging_error', message, data, ...at });
}

/**
 * A bad argument of a call or of paging, found in async code (so the refusal is a rejection anyway, before anything is
 * sent): the same `WooConfigError` (`wooapi_invalid_request`) and text as a synchronous check would throw.
 */
export type ArgWhy =
  | ['offset']
  | ['perPage' | 'maxPages' | 'concurrency', value: unknown]
  | ['path', param: string];

export function argError(why: ArgWhy) {
  const [what, value] = why;
  return configError(
    what === 'offset'
      ? '`offset` overrides the `page` that paging sets (every page would repeat): remove it, or use startPage'
      : what === 'path'
        ? `missing path parameter ${value} in params.path`
        : // MAX_PER_PAGE of paginate.ts (a value import would share a module with the entry).
          `${what} must be an integer ${what === 'perPage' ? 'from 1 to 100' : '>= 1'}; got ${String(value)}`,
    'wooapi_invalid_request',
  );
}
