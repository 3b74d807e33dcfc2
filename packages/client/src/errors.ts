/**
 * Every failure the client reports is a `WooCommerceError` or one of its subclasses. WooCommerce's own errors keep
 * WooCommerce's `code` (`woocommerce_rest_product_invalid_id`, `rest_invalid_param`, ...); failures that never got a
 * WooCommerce answer carry a `wooapi_*` code. Branch on `code` (or `instanceof`), never on `message`.
 */

/** Codes the client itself produces, for failures that are not a WooCommerce error envelope. */
export type WooClientErrorCode =
  | 'wooapi_network_error'
  | 'wooapi_timeout'
  | 'wooapi_aborted'
  | 'wooapi_invalid_response'
  | 'wooapi_http_error'
  | 'wooapi_invalid_config'
  | 'wooapi_invalid_request'
  | 'wooapi_redirect'
  | 'wooapi_response_too_large'
  | 'wooapi_paging_error'
  | 'wooapi_batch_mismatch';

/** WooCommerce codes worth naming; any other string the store sends is accepted too. */
export type WooKnownErrorCode =
  | 'woocommerce_rest_authentication_error'
  | 'woocommerce_rest_authentication_missing_parameter'
  | 'woocommerce_rest_cannot_view'
  | 'woocommerce_rest_cannot_create'
  | 'woocommerce_rest_cannot_edit'
  | 'woocommerce_rest_cannot_delete'
  | 'woocommerce_rest_cannot_batch'
  | 'woocommerce_rest_product_invalid_id'
  | 'woocommerce_rest_trash_not_supported'
  | 'woocommerce_rest_request_entity_too_large'
  | 'rest_invalid_param'
  | 'rest_missing_callback_param'
  | 'rest_no_route'
  | 'rest_forbidden';

// `string & {}` keeps editor completion for the known codes while accepting any code a plugin invents.
export type WooErrorCode = WooClientErrorCode | WooKnownErrorCode | (string & {});

export interface WooErrorInit<C extends string = WooErrorCode> {
  code: C;
  message: string;
  /** HTTP status; 0 when no response arrived (network failure, timeout, abort, bad configuration). */
  status?: number;
  /** WooCommerce's `data` member (always with `status` for server errors), or details the client adds. */
  data?: Record<string, unknown>;
  method?: string;
  /** The request path without its query string (query strings can carry credentials). */
  path?: string;
  /** The full request URL; only its origin and path are kept (`https://shop.example/wp-json/wc/v3/products`). */
  url?: string;
  cause?: unknown;
  /** @internal The forms of the calling client's credentials to scrub (see `secretForms`). */
  secrets?: readonly string[];
}

const NONE: readonly string[] = [];

/** RFC 3986 percent-encoding (PHP `rawurlencode`). */
const rfc3986 = (v: string) =>
  encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `btoa` of UTF-8 text. */
export const base64 = (text: string): string => {
  let bin = '';
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin);
};

/**
 * @internal Every form in which a client's credentials can come back in echoed text: the raw values, their
 * percent-encoded forms (`encodeURIComponent`, RFC 3986, form encoding), and the base64 of each Basic pair (and its
 * URL-encoded form). Computed once per client, in the entry (not the `fail` chunk): an error built before that chunk
 * loaded (a batch item's error in a 200 answer, a legacy page's error) scrubs every form too. A fixed, small list
 * owned by that client, never a process-wide set.
 */
export function secretForms(values: readonly unknown[], pairs: readonly [unknown, unknown][] = []): string[] {
  const out = new Set<string>();
  const add = (v: string) => {
    if (v.length <= 3) return;
    out.add(v);
    out.add(encodeURIComponent(v));
    out.add(rfc3986(v));
    out.add(encodeURIComponent(v).replace(/%20/g, '+'));
  };
  for (const v of values) if (typeof v === 'string') add(v);
  for (const [a, b] of pairs) if (typeof a === 'string' && typeof b === 'string') add(base64(`${a}:${b}`));
  // Longest first, so that a form containing another is removed whole.
  return [...out].sort((x, y) => y.length - x.length);
}

/** A Basic credential: base64 (possibly percent-encoded) of `user:password`, not a word such as "credentials". */
function isBasicPair(value: string): boolean {
  try {
    return atob(decodeURIComponent(value)).includes(':');
  } catch {
    return false;
  }
}

/**
 * @internal Remove credentials from a string: the calling client's own secret forms, and by shape any credential
 * parameter (`consumer_key=`, `consumer_secret=`, `oauth_*=`, percent-encoded `%3D` too), any OAuth header value
 * (`oauth_signature="..."`) and any `Basic <base64>` value, whoever's they are.
 */
export function redact(text: string, secrets: readonly string[] = NONE): string {
  let out = text
    .replace(/(?<![a-z_])(oauth_[a-z_]+)=(\\?)"[^"\\]*(\\?)"/gi, '$1=$2"[redacted]$3"')
    .replace(
      /(?<![a-z_])(consumer_key|consumer_secret|oauth_[a-z_]+)(=|%3D)[^&\s"'<>,;\\]+/gi,
      '$1$2[redacted]',
    )
    .replace(
      /(?<![A-Za-z_])(Basic|Bearer)(\s+|%20|\+)([A-Za-z0-9+/=._~%-]{6,})/g,
      (all, scheme, gap, value) =>
        scheme === 'Bearer' || isBasicPair(value) ? `${scheme}${gap}[redacted]` : all,
    );
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('[redacted]');
  return out;
}

// A copy of the data with every string redacted (through JSON: data comes from JSON or from the client).
const scrub = (v: unknown, secrets: readonly string[]) =>
  JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'string' ? redact(x, secrets) : x)));

/** `https://shop.example/wp-json/wc/v3/products` from a full URL: no query, no fragment, no user info. */
const where = (url: string | undefined): { host?: string; at?: string } => {
  if (!url) return {};
  try {
    const u = new URL(url);
    return { host: u.host, at: `${u.origin}${u.pathname}` };
  } catch {
    return {};
  }
};

export class WooCommerceError<C extends string = WooErrorCode> extends Error {
  override name = 'WooCommerceError';
  // Declared, not emitted as fields: the constructor assigns each (in this order, so the own properties come in the
  // same order as with fields: name, code, status, data, method, path, host, cause).
  declare readonly code: C;
  declare readonly status: number;
  declare readonly data: Record<string, unknown>;
  declare readonly method: string | undefined;
  declare readonly path: string | undefined;
  /** The store's host (`shop.example.com:8443`), when the error concerns a request. */
  declare readonly host: string | undefined;

  constructor(init: WooErrorInit<C>) {
    const { method, path, cause, secrets = NONE } = init;
    const { host, at } = where(init.url);
    const context = method && (at || path) ? ` (${method} ${at ?? path})` : '';
    // The stack was captured with the already redacted message.
    super(redact(init.message + context, secrets));
    this.code = init.code;
    this.status = init.status ?? 0;
    this.data = scrub(init.data ?? {}, secrets) as Record<string, unknown>;
    this.method = method;
    this.path = path;
    this.host = host;
    // The original cause may hold a URL with credentials: keep its redacted text only.
    if (cause !== undefined)
      this.cause = cause instanceof WooCommerceError ? cause : redact(String(cause), secrets);
  }

  toJSON(): Record<string, unknown> {
    const { name, code, status, message, method, host, path, data } = this;
    return { name, code, status, message, method, host, path, data };
  }
}

/** WooCommerce (or WordPress) answered with its error envelope `{code, message, data}`, or an HTTP error status. */
export class WooApiError extends WooCommerceError {
  override name = 'WooApiError';
}

/** The request never got an answer: DNS, refused or reset connection, TLS. Retried for idempotent methods. */
export class WooNetworkError extends WooCommerceError<'wooapi_network_error'> {
  override name = 'WooNetworkError';
}

/** No complete answer within the per-attempt timeout. */
export class WooTimeoutError extends WooCommerceError<'wooapi_timeout'> {
  override name = 'WooTimeoutError';
}

/** The caller's `AbortSignal` fired. Never retried. */
export class WooAbortError extends WooCommerceError<'wooapi_aborted'> {
  override name = 'WooAbortError';
}

/**
 * The store answered, but not with what the API promises: an HTML page (a host's error page, a login redirect, a
 * maintenance screen), an empty body, or truncated/invalid JSON.
 */
export class WooInvalidResponseError extends WooCommerceError<'wooapi_invalid_response'> {
  override name = 'WooInvalidResponseError';
}

/**
 * The store answered with a redirect the client will not follow: any redirect of a write, one to another origin or
 * to plain http, or more than `maxRedirects` in a row. `data.location` is the (scrubbed) target.
 */
export class WooRedirectError extends WooCommerceError<'wooapi_redirect'> {
  override name = 'WooRedirectError';
}

/** The response body is larger than `maxResponseBytes`; reading stopped there. */
export class WooResponseTooLargeError extends WooCommerceError<'wooapi_response_too_large'> {
  override name = 'WooResponseTooLargeError';
}

/**
 * Paging cannot go on safely: the store repeats a page (it ignores `page`), sends more items than `per_page`, or the
 * list is longer than `maxPages`.
 */
export class WooPagingError extends WooCommerceError<'wooapi_paging_error'> {
  override name = 'WooPagingError';
}

/** Bad input to the client itself (options, arguments); thrown before any request is sent. */
export class WooConfigError extends WooCommerceError<'wooapi_invalid_config' | 'wooapi_invalid_request'> {
  override name = 'WooConfigError';
}

/** @internal */
export const configError = (
  message: string,
  code: 'wooapi_invalid_config' | 'wooapi_invalid_request' = 'wooapi_invalid_config',
) => new WooConfigError({ code, message });

export function isWooCommerceError<K extends WooErrorCode = WooErrorCode>(
  value: unknown,
  code?: K,
): value is WooCommerceError<K> {
  return value instanceof WooCommerceError && (code === undefined || value.code === code);
}

/** @internal Where a failure happened, and what to scrub from its text. */
export interface ErrorContext {
  method: string;
  path: string;
  url?: string;
  secrets?: readonly string[];
}
