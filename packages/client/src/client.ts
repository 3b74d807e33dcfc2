import type { paths } from '@wooapi/types';
import createClient, {
  type Client,
  type ClientPathsWithMethod,
  createQuerySerializer,
  defaultPathSerializer,
  type FetchOptions,
  type FetchResponse,
  type HeadersOptions,
  type MaybeOptionalInit,
  type Middleware,
} from 'openapi-fetch';
import {
  type AuthKind,
  type AuthOption,
  authMiddleware,
  createAuthenticator,
  type OAuthOptions,
} from './auth.js';
import {
  errorFromResponse,
  isHtml,
  registerSecrets,
  snippet,
  WooCommerceError,
  WooConfigError,
  WooInvalidResponseError,
} from './errors.js';
import {
  type PerRequestOptions,
  type RetryOptions,
  releaseResponse,
  retryMiddleware,
  toTypedError,
} from './retry.js';

export const API_PREFIX = '/wp-json/wc/v3';

export interface WooClientOptions {
  /** The store's URL, `https://example.com` (a sub-folder install: `https://example.com/shop`). `/wp-json/wc/v3` is appended unless present. */
  url: string;
  /** API consumer key, `ck_...`. */
  consumerKey?: string;
  /** API consumer secret, `cs_...`. Never appears in an error, a log line or a returned value. */
  consumerSecret?: string;
  /** Default `auto`: Basic over https, OAuth 1.0a over http. */
  auth?: AuthOption;
  oauth?: OAuthOptions;
  /** Allow Basic or query-string credentials over plain http, for a development store on localhost / 127.0.0.1 / ::1 only. */
  allowInsecureLoopback?: boolean;
  /** Retries (on by default for idempotent methods); `false` to turn off. */
  retry?: RetryOptions | false;
  /** Per-attempt timeout in ms, default 30 000; 0 disables. */
  timeout?: number;
  /** A custom fetch (an instrumented one, undici with a proxy, a test double). Default `globalThis.fetch`. */
  fetch?: (input: Request) => Promise<Response>;
  /** Headers sent on every request (a `User-Agent` where the runtime allows it, for instance). */
  headers?: HeadersOptions;
  /** Extra openapi-fetch middleware, run after authentication and before the timeout/retry layer. */
  middleware?: Middleware[];
}

type Method = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';

/** Per-call init: openapi-fetch's typed init plus `retry` and `timeout`. */
type InitParam<Init> = keyof Init extends never
  ? [(Init & PerRequestOptions)?]
  : RequiredKeys<Init> extends never
    ? [(Init & PerRequestOptions)?]
    : [Init & PerRequestOptions];
// biome-ignore lint/complexity/noBannedTypes: `{} extends Pick<T, K>` is the standard optional-key test.
type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];

/** The success shape: `data` typed from the spec's 2xx response, and the `Response` (headers such as `X-WP-Total`). */
export interface WooResult<T> {
  data: T;
  response: Response;
}

export type SuccessData<Paths, P extends keyof Paths, M extends Method, Init> =
  Paths[P] extends Record<M, infer Op>
    ? Op extends Record<string | number, unknown>
      ? NonNullable<FetchResponse<Op, Init, `${string}/${string}`>['data']>
      : never
    : never;

export type WooMethod<Paths extends {}, M extends Method> = <
  P extends ClientPathsWithMethod<Client<Paths>, M>,
  Init extends MaybeOptionalInit<Paths[P], M & keyof Paths[P]>,
>(
  path: P,
  ...init: InitParam<Init>
) => Promise<WooResult<SuccessData<Paths, P, M, Init>>>;

export interface WooClient<Paths extends {} = paths> {
  /** Throws a typed `WooCommerceError` on any failure; resolves to `{ data, response }`. */
  GET: WooMethod<Paths, 'get'>;
  POST: WooMethod<Paths, 'post'>;
  PUT: WooMethod<Paths, 'put'>;
  PATCH: WooMethod<Paths, 'patch'>;
  DELETE: WooMethod<Paths, 'delete'>;
  HEAD: WooMethod<Paths, 'head'>;
  OPTIONS: WooMethod<Paths, 'options'>;
  /**
   * The underlying openapi-fetch client, with the same auth, timeout and retry middleware, answering
   * `{ data, error, response }` instead of throwing on HTTP errors (network failures and timeouts still throw typed).
   */
  raw: Client<Paths>;
  /** The API root every path is relative to, e.g. `https://example.com/wp-json/wc/v3`. */
  readonly baseUrl: string;
  readonly auth: AuthKind;
  use(...middleware: Middleware[]): void;
  eject(...middleware: Middleware[]): void;
}

/** `https://example.com` -> `https://example.com/wp-json/wc/v3` (kept as is when it already ends so). */
export function resolveBaseUrl(url: unknown): URL {
  if (typeof url !== 'string' || !url.trim()) {
    throw new WooConfigError({
      code: 'wooapi_invalid_config',
      message: 'url is required: the store URL, such as https://example.com',
    });
  }
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw new WooConfigError({
      code: 'wooapi_invalid_config',
      message: `url must be an absolute http(s) URL such as https://example.com; got ${JSON.stringify(snippet(url))}`,
    });
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw new WooConfigError({
      code: 'wooapi_invalid_config',
      message: `url must use https (or http with OAuth 1.0a); got ${u.protocol}`,
    });
  }
  if (u.username || u.password) {
    throw new WooConfigError({
      code: 'wooapi_invalid_config',
      message:
        'url must not carry credentials (user:pass@host); pass consumerKey/consumerSecret or auth instead',
    });
  }
  if (u.search || u.hash) {
    throw new WooConfigError({
      code: 'wooapi_invalid_config',
      message:
        'url must not have a query string or fragment (for a store without pretty permalinks, ?rest_route= is not supported)',
    });
  }
  let path = u.pathname.replace(/\/+$/, '');
  if (!path.endsWith(API_PREFIX)) path += API_PREFIX;
  u.pathname = path;
  return u;
}

const PATH_PARAM = /\{[^{}]+\}/;

/** Parse a 2xx body; an HTML page, an empty or truncated body becomes a typed error. */
function parseSuccess(text: unknown, response: Response, method: string, path: string): unknown {
  if (response.status === 204 || method === 'HEAD') return undefined;
  const contentType = response.headers.get('content-type');
  const body = typeof text === 'string' ? text : '';
  const fail = (why: string) =>
    new WooInvalidResponseError({
      code: 'wooapi_invalid_response',
      message: `HTTP ${response.status}: ${why}`,
      status: response.status,
      data: { status: response.status, contentType, ...(body ? { snippet: snippet(body) } : {}) },
      method,
      path,
    });
  if (!body) throw fail('empty body where JSON was expected');
  if (isHtml(body, contentType)) {
    throw fail(
      'the store answered with an HTML page instead of JSON (a login page, a maintenance page, a proxy?)',
    );
  }
  try {
    return JSON.parse(body);
  } catch (e) {
    throw fail(`invalid or truncated JSON (${(e as Error).message.replace(/\s+/g, ' ').slice(0, 80)})`);
  }
}

/**
 * Create a typed client for a WooCommerce store.
 *
 * ```ts
 * const woo = createWooClient({ url: 'https://example.com', consumerKey, consumerSecret });
 * const { data: product } = await woo.GET('/products/{id}', { params: { path: { id: 794 } } });
 * ```
 */
export function createWooClient<Paths extends {} = paths>(options: WooClientOptions): WooClient<Paths> {
  if (!options || typeof options !== 'object') {
    throw new WooConfigError({
      code: 'wooapi_invalid_config',
      message: 'createWooClient needs an options object: { url, consumerKey, consumerSecret }',
    });
  }
  registerSecrets(options.consumerKey, options.consumerSecret);
  if (typeof options.auth === 'object' && options.auth !== null) {
    registerSecrets((options.auth as { password?: string }).password);
  }
  const base = resolveBaseUrl(options.url);
  const auth = createAuthenticator({
    baseUrl: base,
    consumerKey: options.consumerKey,
    consumerSecret: options.consumerSecret,
    auth: options.auth,
    oauth: options.oauth,
    allowInsecureLoopback: options.allowInsecureLoopback,
  });
  if (options.timeout !== undefined && !(typeof options.timeout === 'number' && options.timeout >= 0)) {
    throw new WooConfigError({
      code: 'wooapi_invalid_config',
      message: `timeout must be a number of milliseconds >= 0 (0 disables it); got ${String(options.timeout)}`,
    });
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new WooConfigError({
      code: 'wooapi_invalid_config',
      message: 'fetch must be a function (Request) => Promise<Response>',
    });
  }
  const baseUrl = base.toString().replace(/\/$/, '');
  const customFetch = options.fetch;
  const raw = createClient<Paths>({
    baseUrl,
    // Late-bound: a test or an app may replace globalThis.fetch after the client is created.
    fetch: customFetch ?? ((request: Request) => globalThis.fetch(request)),
    headers: options.headers,
    // WordPress parses a comma-separated list for array arguments (`include=1,2,3`): `style: form, explode: false`.
    querySerializer: createQuerySerializer({ array: { style: 'form', explode: false } }),
  });
  raw.use(authMiddleware(auth));
  if (options.middleware?.length) raw.use(...options.middleware);
  raw.use(
    retryMiddleware({
      retry: options.retry,
      ...(options.timeout !== undefined ? { timeoutMs: options.timeout } : {}),
      beforeRetry: (request) => auth.sign(request),
    }),
  );

  async function call(method: string, schemaPath: string, init: Record<string, unknown> | undefined) {
    const params = (init?.params ?? {}) as { path?: Record<string, unknown> };
    const path = defaultPathSerializer(schemaPath, params.path ?? {});
    if (PATH_PARAM.test(path)) {
      throw new WooConfigError({
        code: 'wooapi_invalid_request',
        message: `missing path parameter ${path.match(PATH_PARAM)![0]}: pass it in params.path`,
        method,
        path: schemaPath,
      });
    }
    const userParseAs = init?.parseAs as string | undefined;
    let result: { data?: unknown; error?: unknown; response: Response };
    try {
      result = await (raw.request as (m: string, p: string, i: unknown) => Promise<typeof result>)(
        method,
        schemaPath,
        { ...init, parseAs: userParseAs ?? 'text' },
      );
    } catch (e) {
      throw e instanceof WooCommerceError
        ? e
        : toTypedError(e, (init?.signal as AbortSignal | undefined) ?? undefined, method, path);
    }
    const { response } = result;
    releaseResponse(response);
    if (!response.ok) {
      throw errorFromResponse(
        response.status,
        result.error,
        response.headers.get('content-type'),
        method,
        path,
      );
    }
    const data =
      userParseAs && userParseAs !== 'json' ? result.data : parseSuccess(result.data, response, method, path);
    return { data, response };
  }

  const method = (m: string) => (path: string, init?: Record<string, unknown>) => call(m, path, init);

  return {
    GET: method('GET'),
    POST: method('POST'),
    PUT: method('PUT'),
    PATCH: method('PATCH'),
    DELETE: method('DELETE'),
    HEAD: method('HEAD'),
    OPTIONS: method('OPTIONS'),
    raw,
    baseUrl,
    auth: auth.kind,
    use: (...m: Middleware[]) => raw.use(...m),
    eject: (...m: Middleware[]) => raw.eject(...m),
  } as unknown as WooClient<Paths>;
}

export type { FetchOptions };
