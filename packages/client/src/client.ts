import type { paths } from '@wooapi/types';
import { type AuthKind, type AuthOption, createAuthenticator, type OAuthOptions } from './auth.js';
import { configError, type ErrorContext } from './errors.js';
import { type RetryOptions, resolveRetry, retryForCall } from './retry.js';
import { serializePath, serializeQuery } from './serialize.js';
import {
  DEFAULT_MAX_REDIRECTS,
  DEFAULT_MAX_RESPONSE_BYTES,
  fail,
  send,
  type Transport,
} from './transport.js';
import type {
  CallInit,
  HeadersOptions,
  HttpMethod,
  InitParam,
  Middleware,
  OkStatus,
  OperationOf,
  ParsedAs,
  PathsWith,
  RawClient,
  Readable,
} from './types.js';

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
  /**
   * Extra openapi-fetch middleware. It sees each request before the client authenticates it (so it never sees
   * credentials, and an OAuth signature covers what it changed); timeouts, retries and redirects apply after it.
   */
  middleware?: Middleware[];
  /** Same-origin redirects of a GET or HEAD followed in a row, default 5; 0 follows none. Writes are never redirected. */
  maxRedirects?: number;
  /** Largest response body accepted, in bytes, default 32 MiB; a larger one is a `WooResponseTooLargeError`. */
  maxResponseBytes?: number;
}

export type { PathsWith };

/** The success shape: `data` typed from the spec's 2xx response, and the `Response` (headers such as `X-WP-Total`). */
export interface WooResult<T> {
  data: T;
  response: Response;
}

/** @internal The JSON body of an operation's 2xx responses (`undefined` for a 2xx without content), markers kept. */
export type OkBody<Op> = Op extends { responses: infer R }
  ? {
      [S in keyof R & OkStatus]: R[S] extends { content: infer C }
        ? C extends { 'application/json': infer T }
          ? T
          : C[keyof C]
        : undefined;
    }[keyof R & OkStatus]
  : never;

export type SuccessData<Paths, P extends keyof Paths, M extends HttpMethod, Init> = Paths[P] extends {
  [K in M]: infer Op;
}
  ? Init extends { parseAs: 'text' }
    ? string
    : Init extends { parseAs: 'blob' | 'arrayBuffer' | 'stream' }
      ? NonNullable<ParsedAs[Init['parseAs']]>
      : Readable<NonNullable<OkBody<Op>>>
  : never;

export type WooMethod<Paths extends {}, M extends HttpMethod> = <
  P extends PathsWith<Paths, M>,
  Init extends CallInit<OperationOf<Paths[P], M>>,
>(
  path: P,
  ...init: InitParam<Init>
) => Promise<WooResult<SuccessData<Paths, P, M, Init>>>;

// `in out` (invariant) spares the checker measuring the variance of `Paths` through every method and `raw`, which
// cost most of the type-check time of any call that passes a client to `paginate`, `listAll` or `batch`.
export interface WooClient<in out Paths extends {} = paths> {
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
  raw: RawClient<Paths>;
  /** The API root every path is relative to, e.g. `https://example.com/wp-json/wc/v3`. */
  readonly baseUrl: string;
  readonly auth: AuthKind;
  use(...middleware: Middleware[]): void;
  eject(...middleware: Middleware[]): void;
}

/**
 * `https://example.com` -> `https://example.com/wp-json/wc/v3`. A URL that already ends with `/wp-json` or
 * `/wp-json/wc/v3` is completed or kept; one naming another API (`/wp-json/wc/v2`, `/wc-api/v3`) is refused.
 */
export function resolveBaseUrl(url: unknown): URL {
  let u: URL | undefined;
  try {
    u = new URL(url as string);
  } catch {}
  if (!u || !/^https?:$/.test(u.protocol) || u.username || u.password || u.search || u.hash) {
    const why = !u
      ? `got ${typeof url === 'string' ? JSON.stringify(url) : String(url)}`
      : u.password || u.username
        ? 'got a URL with a user name or password (pass credentials as options)'
        : u.search || u.hash
          ? `got ${u.origin}${u.pathname} with a query string or fragment (remove it)`
          : `got ${u.protocol} (use https://, or http:// with OAuth 1.0a)`;
    throw configError(`url must be a store's http(s) root URL, like https://example.com; ${why}`);
  }
  const path = u.pathname.replace(/\/+$/, '');
  const wp = path.search(/\/(wp-json|wc-api)(\/|$)/);
  if (wp < 0) u.pathname = path + API_PREFIX;
  else {
    const api = path.slice(wp);
    const root = `${u.origin}${path.slice(0, wp)}`;
    if (api !== '/wp-json' && api !== API_PREFIX) {
      throw configError(
        `url ${u.origin}${path} names the API ${api}, but this client speaks ${API_PREFIX}: give the store's root URL (${root}), ${API_PREFIX} is added`,
      );
    }
    u.pathname = path.slice(0, wp) + API_PREFIX;
  }
  return u;
}

/** @internal What paging and batching read from a client made by `createWooClient`. */
export interface ClientContext {
  /** Every form of this client's credentials (see `secretForms`), scrubbed from errors built outside the client. */
  secrets: readonly string[];
  baseUrl: string;
}
const CONTEXT = Symbol.for('@wooapi/client#context');
/** @internal */
export const contextOf = (client: unknown): ClientContext | undefined =>
  (client as { [CONTEXT]?: ClientContext } | null)?.[CONTEXT];

type HeaderValue = string | number | boolean | (string | number | boolean)[] | null | undefined;

/** Headers as a plain lower-case record (what fetch takes fastest); `null` or `undefined` removes a header. */
export function mergeInto(out: Record<string, string>, h: unknown): Record<string, string> {
  if (!h) return out;
  const entries: Iterable<[string, HeaderValue]> =
    h instanceof Headers
      ? h.entries()
      : Array.isArray(h)
        ? (h as [string, string][])
        : Object.entries(h as Record<string, HeaderValue>);
  for (const [k, v] of entries) {
    const key = k.toLowerCase();
    if (v === null || v === undefined) delete out[key];
    else out[key] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

/** The client's methods (openapi-fetch's client also has `TRACE`). */
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** Init keys the direct path understands; anything else (a custom serializer, fetch options) takes openapi-fetch's. */
const DIRECT = new Set(['params', 'body', 'headers', 'signal', 'parseAs', 'retry', 'timeout']);

export const intOption = (name: string, value: unknown, fallback: number, min: number): number => {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    throw configError(`${name} must be an integer >= ${min}; got ${String(value)}`);
  return value;
};

/**
 * Create a typed client for a WooCommerce store.
 *
 * ```ts
 * const woo = createWooClient({ url: 'https://example.com', consumerKey, consumerSecret });
 * const { data: product } = await woo.GET('/products/{id}', { params: { path: { id: 794 } } });
 * ```
 */
export function createWooClient<Paths extends {} = paths>(options: WooClientOptions): WooClient<Paths> {
  const o = options ?? ({} as WooClientOptions);
  const { timeout = 30_000, fetch: customFetch } = o;
  const base = resolveBaseUrl(o.url);
  const auth = createAuthenticator({ ...o, baseUrl: base });
  if (typeof timeout !== 'number' || !(timeout >= 0))
    throw configError(`timeout must be milliseconds >= 0; got ${String(timeout)}`);
  if (customFetch !== undefined && typeof customFetch !== 'function') {
    throw configError('fetch must be a function');
  }
  const retry = o.retry === false ? null : resolveRetry(o.retry ?? {});
  const t: Transport = {
    auth,
    retry,
    timeoutMs: timeout,
    maxRedirects: intOption('maxRedirects', o.maxRedirects, DEFAULT_MAX_REDIRECTS, 0),
    maxResponseBytes: intOption('maxResponseBytes', o.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES, 1),
    fetch: customFetch,
    secrets: auth.secrets,
    consumerKey: o.consumerKey,
    consumerSecret: o.consumerSecret,
  };
  const baseUrl = base.href;
  // Headers are computed once per client: the constant ones, Basic's Authorization included.
  const plain = mergeInto({}, o.headers);
  if (auth.header) plain.authorization = auth.header;
  const withJson = { ...plain, 'content-type': 'application/json' };
  const retryOf = retryForCall(o.retry, retry);

  // openapi-fetch's runtime is a chunk loaded on first use of `raw` or of middleware (see raw.ts).
  const middleware: Middleware[] = [];
  type Raw = RawClient<Paths>;
  let real: Raw | undefined;
  let loading: Promise<Raw> | undefined;
  const load = () =>
    (loading ??= import('./raw.js').then(
      (m) =>
        (real = m.createRaw(baseUrl, o.headers, middleware, {
          t,
          send,
          mergeInto,
          timeout,
          retryOf,
        }) as unknown as Raw),
    ));
  const raw = {
    use(...m: Middleware[]) {
      for (const x of m) {
        if (!x) continue;
        if (typeof x !== 'object' || !('onRequest' in x || 'onResponse' in x || 'onError' in x))
          throw new Error(
            'Middleware must be an object with one of `onRequest()`, `onResponse() or `onError()`',
          );
        middleware.push(x);
        real?.use(x);
      }
    },
    eject(...m: Middleware[]) {
      for (const x of m) {
        const i = middleware.indexOf(x);
        if (i !== -1) middleware.splice(i, 1);
      }
      real?.eject(...m);
    },
  } as unknown as Raw & Record<string, unknown>;
  // Everything else of openapi-fetch's client waits for its chunk.
  for (const m of [...METHODS, 'TRACE', 'request'])
    raw[m] = (...a: unknown[]) => load().then((c) => (c[m as 'GET'] as (...a: unknown[]) => unknown)(...a));
  if (o.middleware?.length) raw.use(...o.middleware);

  const direct = (init: Record<string, unknown>) => {
    if (middleware.length) return false;
    for (const k in init) if (!DIRECT.has(k)) return false;
    const { body, parseAs } = init;
    if (parseAs !== undefined && parseAs !== 'json' && parseAs !== 'text') return false;
    // JSON bodies only: plain objects and arrays (FormData and the like take openapi-fetch's serializer).
    if (body === undefined) return true;
    const proto = body !== null && typeof body === 'object' ? Object.getPrototypeOf(body) : undefined;
    return Array.isArray(body) || proto === Object.prototype || proto === null;
  };

  const method =
    (m: string) =>
    async (schemaPath: string, init: Record<string, unknown> = {}) => {
      const params = init.params as
        | { path?: Record<string, unknown>; query?: Record<string, unknown>; header?: unknown }
        | undefined;
      const path = serializePath(schemaPath, params?.path);
      const missing = path.includes('{') && /\{[^{}]+\}/.exec(path);
      if (missing) throw (await fail()).argError(['path', missing[0]]);
      const at: ErrorContext = { method: m, path, url: baseUrl + path, secrets: t.secrets };
      const user = init.signal as AbortSignal | undefined;
      const parseAs = init.parseAs === 'json' ? undefined : init.parseAs;
      const callRetry = retryOf(init.retry as RetryOptions | false | undefined);
      const ms = (init.timeout as number | undefined) ?? timeout;
      try {
        let response: Response;
        let ok: unknown;
        let failed: unknown;
        if (direct(init)) {
          const q = params?.query ? serializeQuery(params.query) : '';
          const body = init.body === undefined ? undefined : JSON.stringify(init.body);
          let headers = body === undefined ? plain : withJson;
          if (init.headers || params?.header)
            headers = mergeInto(mergeInto({ ...headers }, init.headers), params?.header);
          const answer = await send(t, {
            method: m,
            path,
            url: q ? `${baseUrl}${path}?${q}` : baseUrl + path,
            headers,
            body,
            signal: user,
            timeoutMs: ms,
            retry: callRetry,
          });
          response = answer.response;
          const text = answer.body as string;
          if (response.ok) ok = text;
          else {
            try {
              failed = JSON.parse(text);
            } catch {
              failed = text;
            }
          }
        } else {
          // Middleware, or an init only openapi-fetch understands: through its client (raw.ts).
          const r = await (await import('./raw.js')).request(await load(), m, schemaPath, init, {
            signal: user,
            timeoutMs: ms,
            retry: callRetry,
            path,
          });
          response = r.response;
          ok = r.data;
          failed = r.error;
        }
        if (!response.ok) throw (await fail()).answerError(t, response, failed, at, baseUrl);
        let data = ok;
        // JSON is tried first (the common case costs no header lookup; JSON sent as text/html by some caching
        // plugins is accepted); an HTML page, an empty or truncated body is a WooInvalidResponseError.
        if (!parseAs) {
          data = undefined;
          if (response.status !== 204 && m !== 'HEAD') {
            try {
              data = JSON.parse(ok as string);
            } catch {
              throw (await fail()).unparsed(response, (ok ?? '') as string, at);
            }
          }
        }
        return { data, response };
      } catch (e) {
        // A WooCommerceError as it is; anything else (a custom fetch's own failure) typed.
        throw (await fail()).networkError(e, user, at);
      }
    };

  const client = {
    ...Object.fromEntries(METHODS.map((m) => [m, method(m)])),
    raw,
    baseUrl,
    auth: auth.kind,
    use: raw.use,
    eject: raw.eject,
  };
  Object.defineProperty(client, CONTEXT, { value: { secrets: t.secrets, baseUrl } satisfies ClientContext });
  return client as unknown as WooClient<Paths>;
}
