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
import { configError, errorFromResponse, invalidResponse, isHtml, registerSecrets } from './errors.js';
import {
  type Arm,
  armedFetch,
  type PerRequestOptions,
  type RetryOptions,
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
  let u: URL | undefined;
  try {
    u = new URL(url as string);
  } catch {}
  if (!u || !/^https?:$/.test(u.protocol) || u.username || u.password || u.search || u.hash) {
    throw configError(
      `url must be a store's http(s) root URL, like https://example.com; got ${u?.password ? 'a URL with a password' : url}`,
    );
  }
  const path = u.pathname.replace(/\/+$/, '');
  u.pathname = path.endsWith(API_PREFIX) ? path : path + API_PREFIX;
  return u;
}

/** Parse a 2xx body; an HTML page, an empty or truncated body becomes a typed error. */
function parseSuccess(body: string, response: Response, method: string, path: string): unknown {
  if (response.status === 204 || method === 'HEAD') return undefined;
  const contentType = response.headers.get('content-type');
  let why = 'an empty body instead of JSON';
  if (body) {
    why = 'an HTML page instead of JSON';
    if (!isHtml(body, contentType)) {
      try {
        return JSON.parse(body);
      } catch {
        why = 'invalid or truncated JSON';
      }
    }
  }
  throw invalidResponse(response.status, why, body, contentType, method, path);
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
  const { timeout = 30_000, fetch: customFetch } = options ?? {};
  registerSecrets(
    options?.consumerKey,
    options?.consumerSecret,
    (options?.auth as { password?: unknown })?.password,
  );
  const base = resolveBaseUrl(options?.url);
  const auth = createAuthenticator({ ...options, baseUrl: base });
  if (!(timeout >= 0)) throw configError(`timeout must be milliseconds >= 0; got ${timeout}`);
  if (customFetch !== undefined && typeof customFetch !== 'function') {
    throw configError('fetch must be a function');
  }
  const baseUrl = base.href;
  const raw = createClient<Paths>({
    baseUrl,
    // Applies timeouts and the caller's signal; late-bound to globalThis.fetch unless a fetch is given.
    fetch: armedFetch(customFetch),
    headers: options.headers,
    // WordPress parses a comma-separated list for array arguments (`include=1,2,3`): `style: form, explode: false`.
    querySerializer: createQuerySerializer({ array: { style: 'form', explode: false } }),
  });
  raw.use(authMiddleware(auth), ...(options.middleware ?? []));
  raw.use(retryMiddleware({ retry: options.retry, timeoutMs: timeout, beforeRetry: (r) => auth.sign(r) }));

  const method =
    (m: string) =>
    async (schemaPath: string, init: Record<string, unknown> = {}) => {
      const path = defaultPathSerializer(
        schemaPath,
        (init.params as { path?: Record<string, unknown> })?.path ?? {},
      );
      const missing = /\{[^{}]+\}/.exec(path);
      if (missing)
        throw configError(`missing path parameter ${missing[0]} in params.path`, 'wooapi_invalid_request');
      // The signal goes in the arm, not in the Request: the fetch below combines it with the timeout.
      const { signal: user, ...rest } = init as { signal?: AbortSignal };
      const arm: Arm = { user, ms: (init.timeout as number | undefined) ?? timeout, method: m, path };
      // JSON is parsed here, from text, so that an HTML page or a truncated body becomes a typed error.
      const parseAs = init.parseAs === 'json' ? undefined : (init.parseAs as string | undefined);
      try {
        const { data, error, response } = await raw.request(
          m as 'get',
          schemaPath as never,
          { ...rest, parseAs: parseAs ?? 'text', _woo: arm } as never,
        );
        if (!response.ok)
          throw errorFromResponse(response.status, error, response.headers.get('content-type'), m, path);
        return {
          data: parseAs ? data : parseSuccess((data ?? '') as string, response, m, path),
          response,
        };
      } catch (e) {
        throw toTypedError(e, user, m, path);
      } finally {
        arm.stop?.();
      }
    };

  return {
    ...Object.fromEntries(
      ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].map((m) => [m, method(m)]),
    ),
    raw,
    baseUrl,
    auth: auth.kind,
    use: raw.use,
    eject: raw.eject,
  } as unknown as WooClient<Paths>;
}

export type { FetchOptions };
