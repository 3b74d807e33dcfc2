/**
 * One call on the wire: authentication per attempt, the per-attempt timeout and the caller's signal, redirects
 * (followed by the client itself, only where that is safe), retries with backoff, and the response body read
 * within a size cap. Everything the client sends goes through `send`; it builds no `Request` unless a custom
 * `fetch` asks for one.
 */
import type { Authenticator } from './auth.js';
import { checkHonoured, deadline, dispatcherFor, fetchWith, guard, settle } from './deadline.js';
import {
  type ErrorContext,
  WooAbortError,
  WooCommerceError,
  WooNetworkError,
  WooRedirectError,
  WooResponseTooLargeError,
  WooTimeoutError,
} from './errors.js';
import { parseRetryAfter, type ResolvedRetry } from './retry.js';
import { CREDENTIAL, stripCredentials } from './url.js';

/** Default cap on one response body: 32 MiB, far above any WooCommerce page of 100 objects. */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
/** Default number of same-origin redirects of a GET or HEAD followed in a row. */
export const DEFAULT_MAX_REDIRECTS = 5;

export interface Transport {
  auth: Authenticator;
  retry: ResolvedRetry | null;
  timeoutMs: number;
  maxRedirects: number;
  maxResponseBytes: number;
  fetch: ((request: Request) => Promise<Response>) | undefined;
  secrets: readonly string[];
  /** For the hints of a 401. */
  consumerKey: string | undefined;
  consumerSecret: string | undefined;
}

export interface Call {
  method: string;
  /** The API path, for errors and `onRetry` (`/products/794`). */
  path: string;
  /** The full URL, query included, without credentials. */
  url: string;
  headers: Record<string, string>;
  /** A body that can be sent again (string or bytes). */
  body: string | Uint8Array | undefined;
  signal: AbortSignal | undefined;
  timeoutMs: number;
  retry: ResolvedRetry | null;
}

export interface Answer {
  response: Response;
  /** The body, read within the cap: text, or bytes when asked for. */
  body: string | Uint8Array;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const SAFE = new Set(['GET', 'HEAD']);
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const never = new AbortController().signal;

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

/** Turn whatever fetch threw into a typed error (an abort, or a network failure saying what failed). */
export function networkError(error: unknown, user: AbortSignal | undefined, at: ErrorContext) {
  if (error instanceof WooCommerceError) return error;
  const base = { ...at, cause: error };
  if (user?.aborted || (error as Error | null)?.name === 'AbortError') {
    return new WooAbortError({ code: 'wooapi_aborted', message: 'request aborted', ...base });
  }
  let inner = error as { cause?: unknown; code?: unknown; message?: unknown } | null;
  while (inner?.cause && typeof inner.cause === 'object') inner = inner.cause as typeof inner;
  const code = typeof inner?.code === 'string' ? inner.code : undefined;
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

function redirectError(
  status: number,
  method: string,
  from: URL,
  location: string | null,
  why: 'write' | 'origin' | 'downgrade' | 'count' | 'hidden' | 'nolocation',
  max: number,
  at: ErrorContext,
): WooRedirectError {
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

function tooLarge(max: number, size: string, status: number, at: ErrorContext) {
  return new WooResponseTooLargeError({
    code: 'wooapi_response_too_large',
    message: `the response body is larger than maxResponseBytes (${max} bytes; ${size}): raise maxResponseBytes if this answer is expected, or ask for less (per_page, _fields)`,
    status,
    data: { status, maxResponseBytes: max },
    ...at,
  });
}

/** Read a body within `max` bytes, as text or bytes; stops reading (and drops the connection) past the cap. */
function readBody(
  response: Response,
  max: number,
  as: 'text' | 'bytes',
  at: ErrorContext,
): Promise<string | Uint8Array> {
  const declared = response.headers.get('content-length');
  // The common case, a declared length within the cap, adds no async frame of its own. The runtime enforces the
  // declared length: a longer body is a protocol error, not a bigger string.
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) <= max)
    return as === 'text' ? response.text() : response.arrayBuffer().then((b) => new Uint8Array(b));
  return readCapped(response, max, as, at, declared);
}

async function readCapped(
  response: Response,
  max: number,
  as: 'text' | 'bytes',
  at: ErrorContext,
  declared: string | null,
): Promise<string | Uint8Array> {
  if (declared !== null && /^\d+$/.test(declared)) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(max, `the store declares ${declared}`, response.status, at);
  }
  if (!response.body) return as === 'text' ? '' : new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge(max, `more than ${max} bytes arrived`, response.status, at);
    }
    chunks.push(value);
  }
  const bytes = chunks.length === 1 ? chunks[0]! : new Uint8Array(size);
  if (chunks.length !== 1) {
    let o = 0;
    for (const c of chunks) {
      bytes.set(c, o);
      o += c.byteLength;
    }
  }
  return as === 'text' ? new TextDecoder().decode(bytes) : bytes;
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

const timedOut = (at: unknown) =>
  new WooTimeoutError({ code: 'wooapi_timeout', message: 'timed out', ...(at as ErrorContext) });

/**
 * Arm one attempt: its deadline, and what goes in `init` to enforce it and the caller's signal. Under Node's own
 * fetch, a per-attempt dispatcher instead of an AbortSignal (see deadline.ts).
 */
function armAttempt(
  t: Transport,
  call: Call,
  init: RequestInit & { dispatcher?: unknown },
  at: ErrorContext,
) {
  const user = call.signal;
  if (!(call.timeoutMs > 0)) {
    if (user) init.signal = user;
    return { d: undefined, dispatched: false, stop: () => {} };
  }
  const d = deadline(call.timeoutMs, timedOut, at);
  const dispatcher = t.fetch ? undefined : dispatcherFor();
  if (dispatcher) {
    init.dispatcher = dispatcher;
    if (user) init.signal = user;
    return { d, dispatched: true, stop: () => settle(d) };
  }
  const ctl = new AbortController();
  const onAbort = () => ctl.abort(user?.reason);
  if (user) {
    if (user.aborted) onAbort();
    else user.addEventListener('abort', onAbort);
  }
  d.abort = (reason) => ctl.abort(reason);
  init.signal = ctl.signal;
  return {
    d,
    dispatched: false,
    stop: () => {
      settle(d);
      user?.removeEventListener('abort', onAbort);
    },
  };
}

/** Send one call: returns the final 2xx-or-error answer with its body read, or throws a typed error. */
export async function send(t: Transport, call: Call, as: 'text' | 'bytes' = 'text'): Promise<Answer> {
  const { method, retry } = call;
  // Errors keep only the URL's origin and path (see WooCommerceError): no query, so no credentials.
  const at: ErrorContext = { method, path: call.path, url: call.url, secrets: t.secrets };
  const started = Date.now();
  const maxAttempts = retry?.methods.includes(method) ? retry.maxAttempts : 1;
  let url = call.url;
  let attempt = 0;
  let redirects = 0;
  for (;;) {
    attempt++;
    let outcome: Response | WooCommerceError;
    let arm: ReturnType<typeof armAttempt> | undefined;
    try {
      const s = t.auth.signUrl(method, url);
      const signed = s instanceof Promise ? await s : s;
      let headers = call.headers;
      // Basic's header is already in the client's headers: no copy per request.
      if (signed.authorization && signed.authorization !== headers.authorization)
        headers = { ...headers, authorization: signed.authorization };
      const init: RequestInit = { method, headers, redirect: 'manual' };
      if (call.body !== undefined) init.body = call.body as BodyInit;
      arm = armAttempt(t, call, init, at);
      const sent = t.fetch
        ? t.fetch(new Request(signed.url, init))
        : arm.dispatched
          ? fetchWith(arm.d!, signed.url, init)
          : fetch(signed.url, init);
      // Under the dispatcher the deadline aborts the socket, but the wait also ends at once (a connect can hang).
      const response = arm.dispatched ? await guard(arm.d!, sent) : await sent;
      if (arm.dispatched) checkHonoured(arm.d!, true);
      const { status } = response;
      if (REDIRECTS.has(status) || (status === 0 && response.type === 'opaqueredirect')) {
        arm.stop();
        await response.body?.cancel().catch(() => {});
        const from = new URL(url);
        const location = response.headers.get('location');
        let why: Parameters<typeof redirectError>[4] | undefined;
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
            else if (redirects >= t.maxRedirects) why = 'count';
          }
        }
        if (why) throw redirectError(status, method, from, location, why, t.maxRedirects, at);
        // Same origin, GET or HEAD: follow, signed afresh for the new URL (an echoed credential is dropped).
        url = stripCredentials(target!.href);
        redirects++;
        attempt--;
        continue;
      }
      if (attempt < maxAttempts && retry!.statuses.includes(status)) {
        outcome = response;
      } else {
        const reading = readBody(response, t.maxResponseBytes, as, at);
        // A fetch that ignored the dispatcher cannot be aborted: the wait for its body is bounded instead.
        const body = arm.dispatched && !arm.d!.hooked ? await guard(arm.d!, reading) : await reading;
        arm.stop();
        return { response: cleanResponse(response, t.auth.inUrl), body };
      }
    } catch (e) {
      arm?.stop();
      outcome = networkError(arm?.d?.expired ?? e, call.signal, at);
      if (
        outcome instanceof WooAbortError ||
        outcome instanceof WooRedirectError ||
        outcome instanceof WooResponseTooLargeError ||
        attempt >= maxAttempts
      ) {
        throw finalError(outcome, attempt, started, call.timeoutMs, at);
      }
    }
    arm?.stop();
    // Retry: back off (Retry-After when the store says), then sign afresh.
    const cfg = retry!;
    let delay = Math.floor(cfg.random() * Math.min(cfg.maxDelayMs, cfg.baseDelayMs * 2 ** (attempt - 1)));
    if (outcome instanceof Response) {
      const ra = parseRetryAfter(outcome.headers.get('retry-after'));
      if (ra !== undefined && ra > cfg.maxRetryAfterMs) {
        // Waiting that long is not a retry: surface this answer now.
        const body = await readBody(outcome, t.maxResponseBytes, as, at);
        return { response: cleanResponse(outcome, t.auth.inUrl), body };
      }
      delay = ra ?? delay;
      await outcome.body?.cancel().catch(() => {});
    }
    cfg.onRetry?.({
      method,
      path: call.path,
      attempt: attempt + 1,
      delayMs: delay,
      ...(outcome instanceof Response ? { status: outcome.status } : { error: outcome }),
    });
    try {
      await cfg.sleep(delay, call.signal ?? never);
    } catch (e) {
      throw networkError(e, call.signal, at);
    }
  }
}

/** A timeout or network failure says how many attempts were made over how long. */
function finalError(e: WooCommerceError, attempts: number, started: number, ms: number, at: ErrorContext) {
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

/** A response whose URL and `Link` carry no credentials (a store echoes the query string into `Link`). */
function cleanResponse(response: Response, inUrl: boolean): Response {
  if (!inUrl) return response;
  const link = response.headers.get('link');
  if (link && CREDENTIAL.test(link)) {
    const headers = new Headers(response.headers);
    headers.set(
      'link',
      link.replace(/<([^>]*)>/g, (_, u: string) => `<${stripCredentials(u)}>`),
    );
    return new Response(null, { status: response.status, statusText: response.statusText, headers });
  }
  // Shadow the URL (it carries the signature or the keys): cheaper than a copy of the response.
  Object.defineProperty(response, 'url', { value: '' });
  return response;
}
