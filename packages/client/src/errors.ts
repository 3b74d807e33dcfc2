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

/** Strings that must never appear in an error: registered per client, scrubbed at construction. */
const secrets = new Set<string>();

/** @internal Register credential values so that any error message or data containing them is redacted. */
export function registerSecrets(...values: (string | undefined)[]): void {
  for (const v of values) if (v && v.length >= 4) secrets.add(v);
}

const CREDENTIAL_PARAM = /([?&;,\s]|^)(consumer_key|consumer_secret|oauth_[a-z_]+)=[^&\s"'<>,;]*/gi;

/** @internal Remove credentials (registered values and credential query parameters) from a string. */
export function redact(text: string): string {
  let out = text.replace(CREDENTIAL_PARAM, '$1$2=[redacted]');
  for (const s of secrets) {
    if (out.includes(s)) out = out.split(s).join('[redacted]');
    const enc = encodeURIComponent(s);
    if (enc !== s && out.includes(enc)) out = out.split(enc).join('[redacted]');
  }
  return out;
}

function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, depth + 1);
  return out;
}

/** A cause reduced to plain, redacted facts: the original object may hold a URL with credentials. */
function safeCause(cause: unknown): unknown {
  if (cause === undefined) return undefined;
  if (cause instanceof WooCommerceError) return cause;
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    const code = (cause as { code?: unknown }).code ?? (inner as { code?: unknown } | undefined)?.code;
    const innerMsg = inner instanceof Error ? `: ${inner.message}` : '';
    return {
      name: cause.name,
      message: redact(cause.message + innerMsg),
      ...(typeof code === 'string' ? { code } : {}),
    };
  }
  return redact(String(cause));
}

export class WooCommerceError<C extends string = WooErrorCode> extends Error {
  override name = 'WooCommerceError';
  readonly code: C;
  readonly status: number;
  readonly data: Record<string, unknown>;
  readonly method: string | undefined;
  readonly path: string | undefined;

  constructor(init: WooErrorInit<C>) {
    const where = init.method && init.path ? ` (${init.method} ${redact(init.path)})` : '';
    super(redact(init.message) + where);
    const cause = safeCause(init.cause);
    if (cause !== undefined) Object.defineProperty(this, 'cause', { value: cause, enumerable: false });
    this.code = init.code;
    this.status = init.status ?? 0;
    this.data = (redactDeep(init.data ?? {}) as Record<string, unknown>) ?? {};
    this.method = init.method;
    this.path = init.path === undefined ? undefined : redact(init.path);
    if (this.stack) this.stack = redact(this.stack);
  }

  /** Narrow to a code: `if (err.is('rest_invalid_param')) err.data.params`. */
  is<K extends WooErrorCode>(code: K): this is WooCommerceError<K> {
    return (this.code as string) === code;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      status: this.status,
      message: this.message,
      method: this.method,
      path: this.path,
      data: this.data,
    };
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

/** No complete answer within the per-request timeout. */
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

export function isWooCommerceError<K extends WooErrorCode = WooErrorCode>(
  value: unknown,
  code?: K,
): value is WooCommerceError<K> {
  return value instanceof WooCommerceError && (code === undefined || value.code === code);
}

const SNIPPET = 200;

/** Build the typed error for a non-2xx answer, from whatever body the store sent. */
export function errorFromResponse(
  status: number,
  body: unknown,
  contentType: string | null,
  method: string,
  path: string,
): WooCommerceError {
  if (body && typeof body === 'object' && typeof (body as { code?: unknown }).code === 'string') {
    const env = body as { code: string; message?: unknown; data?: unknown };
    const data =
      env.data && typeof env.data === 'object' ? (env.data as Record<string, unknown>) : { status };
    return new WooApiError({
      code: env.code,
      message: typeof env.message === 'string' && env.message ? env.message : `HTTP ${status}`,
      status,
      data,
      method,
      path,
    });
  }
  const text = typeof body === 'string' ? body : '';
  if (isHtml(text, contentType)) {
    return new WooInvalidResponseError({
      code: 'wooapi_invalid_response',
      message: `HTTP ${status}: the store answered with an HTML page instead of a JSON error (a host or proxy error page?)`,
      status,
      data: { status, contentType, snippet: snippet(text) },
      method,
      path,
    });
  }
  return new WooApiError({
    code: 'wooapi_http_error',
    message: text ? `HTTP ${status}: ${snippet(text)}` : `HTTP ${status} with an empty body`,
    status,
    data: { status, contentType },
    method,
    path,
  });
}

export function isHtml(text: string, contentType: string | null): boolean {
  if (contentType?.includes('text/html')) return true;
  const head = text.trimStart().slice(0, 20).toLowerCase();
  return head.startsWith('<!doctype') || head.startsWith('<html') || head.startsWith('<');
}

export function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET ? `${flat.slice(0, SNIPPET)}...` : flat;
}
