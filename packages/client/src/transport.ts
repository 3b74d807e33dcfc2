/**
 * One call on the wire: authentication per attempt, the per-attempt timeout and the caller's signal, redirects
 * (followed by the client itself, only where that is safe), retries with backoff, and the response body read
 * within a size cap. Everything the client sends goes through `send`; it builds no `Request` unless a custom
 * `fetch` asks for one.
 */

import { deadline, node, settle } from '#dispatch';
import type { Authenticator } from './auth.js';
import type { NodeDispatch } from './deadline.js';
import {
  configError,
  type ErrorContext,
  WooAbortError,
  WooApiError,
  WooCommerceError,
  WooInvalidResponseError,
  WooNetworkError,
  WooPagingError,
  WooRedirectError,
  WooResponseTooLargeError,
  WooTimeoutError,
} from './errors.js';
import type { ResolvedRetry } from './retry.js';
import { parseRetryAfter } from './retry-after.js';
import { CREDENTIAL, stripCredentials } from './url.js';

/** Default cap on one response body: 32 MiB, far above any WooCommerce page of 100 objects. */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
/** Default number of same-origin redirects of a GET or HEAD followed in a row. */
export const DEFAULT_MAX_REDIRECTS = 5;

export interface Transport {
  auth: Pick<Authenticator, 'signUrl' | 'inUrl' | 'header'>;
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

/** @internal What fail.ts uses of the entry, handed to it when it loads (see `init` in fail.ts). */
export const coldDeps = [
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
] as const;
/** @internal */
export type ColdDeps = typeof coldDeps;
let cold: Promise<typeof import('./fail.js')> | undefined;
/**
 * The long error texts and diagnostics, and the redirect and retry paths: a chunk loaded on first use, handed what it
 * uses of the entry (see docs/decisions/client-bundle.md).
 */
export const fail = () =>
  (cold ??= import('./fail.js').then((m) => {
    m.init(coldDeps);
    return m;
  }));

/** Read a body within `max` bytes, as text or bytes; stops reading (and drops the connection) past the cap. */
function readBody(
  response: Response,
  max: number,
  as: 'text' | 'bytes',
  at: ErrorContext,
): Promise<string | Uint8Array> {
  let held: ReturnType<NodeDispatch['held']>;
  let declared: string | null;
  // First, a body the direct path read already (under Node's own fetch): a ternary on `node`, not an `if`, so that a
  // browser build folds it away. Then the common case, a declared length within the cap, adds no async frame of its
  // own: the runtime enforces the declared length (a longer body is a protocol error, not a bigger string). Only for
  // a body the runtime does not decompress: `Content-Length` counts the compressed bytes, and 200 kB of gzip can
  // inflate to 200 MB. A browser hides `Content-Encoding` of a cross-origin (`cors`) answer, so there the body is
  // always read under the cap.
  // biome-ignore lint/suspicious/noAssignInExpressions: one expression, so that a browser build folds the Node branch.
  return node && (held = node.held(response, as))
    ? held.over === undefined
      ? Promise.resolve(held.body!)
      : fail().then((m) => Promise.reject(m.tooLarge(max, held!.over!, response.status, at)))
    : // biome-ignore lint/suspicious/noAssignInExpressions: as above, one expression.
      (declared = response.headers.get('content-length')) !== null &&
        /^\d+$/.test(declared) &&
        Number(declared) <= max &&
        response.headers.get('content-encoding') === null &&
        response.type !== 'cors'
      ? as === 'text'
        ? response.text()
        : response.arrayBuffer().then((b) => new Uint8Array(b))
      : readCapped(response, max, as, at, declared);
}

async function readCapped(
  response: Response,
  max: number,
  as: 'text' | 'bytes',
  at: ErrorContext,
  declared: string | null,
): Promise<string | Uint8Array> {
  // Refused before reading: a declared length over the cap (compressed bytes: the inflated body is larger still).
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > max) {
    await response.body?.cancel().catch(() => {});
    throw (await fail()).tooLarge(max, `the store declares ${declared}`, response.status, at);
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
      throw (await fail()).tooLarge(max, `more than ${max} bytes arrived`, response.status, at);
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

/**
 * What an expired attempt aborts its request with (the reason `AbortSignal.timeout` gives); the cold chunk turns the
 * expiry into a `WooTimeoutError` (see `attemptFailed` in fail.ts).
 */
const timedOut = () => new DOMException('timed out', 'TimeoutError');

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
  // `node` is a constant of `#dispatch`: null outside Node, where a bundler folds the dispatcher path away.
  const via = node && !t.fetch ? node.arm(d, init, user) : undefined;
  if (via) return via;
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
      let response: Response;
      let direct: Promise<Response> | undefined;
      // Under Node's own fetch, straight to its dispatcher (see dispatch.node.ts); undefined where that cannot be.
      // (Every test of `node` stands first in its condition, so that a browser build folds the branch away.)
      if (
        node &&
        !t.fetch &&
        // biome-ignore lint/suspicious/noAssignInExpressions: one condition, so that a browser build folds it away.
        (direct = node.direct(
          arm.d,
          signed.url,
          init,
          t.maxResponseBytes,
          t.auth.inUrl ? undefined : signed.url,
        ))
      )
        response = await (arm.d ? node.guard(arm.d, direct) : direct);
      else if (node && arm.dispatched) {
        // The deadline aborts the socket, but the wait also ends at once (a connect can hang before any abort).
        response = await node.guard(arm.d!, node.fetchWith(arm.d!, signed.url, init));
        node.checkHonoured(arm.d!);
      } else response = await (t.fetch ? t.fetch(new Request(signed.url, init)) : fetch(signed.url, init));
      const { status } = response;
      if (REDIRECTS.has(status) || (status === 0 && response.type === 'opaqueredirect')) {
        arm.stop();
        // Refused (another origin, a downgrade, a write, too many) or followed: decided in the cold chunk.
        url = await (await fail()).redirect(response, url, method, redirects++, t.maxRedirects, at);
        attempt--;
        continue;
      }
      if (attempt < maxAttempts && retry!.statuses.includes(status)) {
        outcome = response;
      } else {
        const reading = readBody(response, t.maxResponseBytes, as, at);
        // A fetch that ignored the dispatcher cannot be aborted: the wait for its body is bounded instead.
        const body =
          node && arm.dispatched && !arm.d!.hooked ? await node.guard(arm.d!, reading) : await reading;
        arm.stop();
        return { response: cleanResponse(response, t.auth.inUrl), body };
      }
    } catch (e) {
      arm?.stop();
      // Typed (a timeout, an abort, a network failure), and thrown unless it is worth another attempt.
      outcome = (await fail()).attemptFailed(
        arm?.d?.expired,
        e,
        call,
        at,
        attempt >= maxAttempts,
        started,
        attempt,
      );
    }
    arm?.stop();
    // Retry: back off (Retry-After when the store says), then sign afresh; a Retry-After too long surfaces the answer.
    if (await (await fail()).backoff(retry!, call, outcome, attempt, at)) {
      const answer = outcome as Response;
      const body = await readBody(answer, t.maxResponseBytes, as, at);
      return { response: cleanResponse(answer, t.auth.inUrl), body };
    }
  }
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
  // Shadow the URL (it carries the signature or the keys): cheaper than a copy of the response. A response of the
  // direct path (dispatch.node.ts) was given none.
  if (response.url) Object.defineProperty(response, 'url', { value: '' });
  return response;
}
