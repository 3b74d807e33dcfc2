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
  | 'wooapi_invalid_request';

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
  cause?: unknown;
}

/** Credential values registered by clients: scrubbed from every error at construction. */
const secrets = new Set<string>();

/** @internal */
export function registerSecrets(...values: unknown[]): void {
  for (const v of values)
    if (typeof v === 'string' && v.length > 3) secrets.add(v).add(encodeURIComponent(v));
}

/** @internal Remove credentials (registered values, credential query parameters) from a string. */
export function redact(text: string): string {
  let out = text.replace(/\b(consumer_key|consumer_secret|oauth_[a-z_]+)=[^&\s"'<>,;]*/gi, '$1=[redacted]');
  for (const s of secrets) out = out.split(s).join('[redacted]');
  return out;
}

// A copy of the data with every string redacted (through JSON: data comes from JSON or from the client).
const scrub = (v: unknown) =>
  JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'string' ? redact(x) : x)));

export class WooCommerceError<C extends string = WooErrorCode> extends Error {
  override name = 'WooCommerceError';
  readonly code: C;
  readonly status: number;
  readonly data: Record<string, unknown>;
  readonly method: string | undefined;
  readonly path: string | undefined;

  constructor(init: WooErrorInit<C>) {
    const { method, path, cause } = init;
    super(redact(init.message + (method && path ? ` (${method} ${path})` : '')));
    // The original cause may hold a URL with credentials: keep its redacted text only.
    if (cause !== undefined) this.cause = cause instanceof WooCommerceError ? cause : redact(String(cause));
    this.code = init.code;
    this.status = init.status ?? 0;
    this.data = scrub(init.data ?? {}) as Record<string, unknown>;
    this.method = method;
    // The stack was captured with the already redacted message.
    this.path = path;
  }

  toJSON(): Record<string, unknown> {
    const { name, code, status, message, method, path, data } = this;
    return { name, code, status, message, method, path, data };
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

/** @internal A short, single-line excerpt of a body for error data. */
export const snippet = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat;
};

/** @internal */
export const isHtml = (text: string, contentType: string | null): boolean =>
  !!contentType?.includes('html') || text.trimStart().startsWith('<');

/** @internal Build the typed error for a non-2xx answer, from whatever body the store sent. */
export function errorFromResponse(
  status: number,
  body: unknown,
  contentType: string | null,
  method: string,
  path: string,
): WooCommerceError {
  const env = body as { code?: unknown; message?: unknown; data?: unknown } | null;
  if (typeof env?.code === 'string') {
    return new WooApiError({
      code: env.code,
      message: String(env.message || `HTTP ${status}`),
      status,
      data: env.data && typeof env.data === 'object' ? (env.data as Record<string, unknown>) : { status },
      method,
      path,
    });
  }
  const text = typeof body === 'string' ? body : '';
  return isHtml(text, contentType)
    ? invalidResponse(status, 'an HTML page instead of JSON', text, contentType, method, path)
    : new WooApiError({
        code: 'wooapi_http_error',
        message: `HTTP ${status}${text ? `: ${snippet(text)}` : ' with an empty body'}`,
        status,
        data: { status, contentType },
        method,
        path,
      });
}

/** @internal */
export const invalidResponse = (
  status: number,
  why: string,
  text: string,
  contentType: string | null,
  method: string,
  path: string,
) =>
  new WooInvalidResponseError({
    code: 'wooapi_invalid_response',
    message: `HTTP ${status}: ${why}`,
    status,
    data: { status, contentType, snippet: snippet(text) },
    method,
    path,
  });
