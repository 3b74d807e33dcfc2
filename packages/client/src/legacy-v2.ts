/**
 * A typed client for the legacy API (`/wc-api/v2`, the WooCommerce Legacy REST API plugin), for stores and
 * integrations still on it while they migrate to wc/v3. openapi-fetch over `@wooapi/types/legacy-v2`, with the auth
 * the plugin really checks: Basic over https, and over plain http OAuth 1.0a in the query string signed over the
 * `/wc-api/v3/...` URL with the bare consumer secret (see `legacy-oauth.ts`).
 *
 * ```ts
 * const legacy = createLegacyClient({ url: 'http://shop.example', consumerKey, consumerSecret });
 * const { data, error, response } = await legacy.GET('/products', { params: { query: { filter: { limit: 5 } } } });
 * ```
 */
import type { paths } from '@wooapi/types/legacy-v2';
import createClient from 'openapi-fetch';
import { isLoopback } from './auth.js';
import { intOption, mergeInto } from './client.js';
import { configError, secretForms, WooApiError } from './errors.js';
import { createLegacyOAuthSigner, type LegacySignatureMethod, withLegacyOAuth } from './legacy-oauth.js';
import { transportFetch } from './raw.js';
import { type RetryOptions, resolveRetry, retryForCall } from './retry.js';
import { DEFAULT_MAX_REDIRECTS, DEFAULT_MAX_RESPONSE_BYTES, send, type Transport } from './transport.js';
import type { RawClient } from './types.js';
import { stripCredentials } from './url.js';

export type { LegacySignatureMethod } from './legacy-oauth.js';
export { createLegacyOAuthSigner, legacyBaseUrl, legacySignatureBaseString } from './legacy-oauth.js';

/** Where the plugin serves the legacy API below the store root. */
export const LEGACY_API_PREFIX = '/wc-api/v2';

export interface LegacyClientOptions {
  /** The store's URL, `https://example.com` (`/wc-api/v2` is appended unless present). */
  url: string;
  consumerKey: string;
  /** Never appears in an error, a log line or a returned value. */
  consumerSecret: string;
  /** Default `auto`: Basic over https, OAuth 1.0a over http (the plugin ignores Basic on plain http). */
  auth?: 'auto' | 'basic' | 'oauth1';
  /** Default `HMAC-SHA256`. */
  signatureMethod?: LegacySignatureMethod;
  /** Allow Basic over plain http, for a development store on localhost / 127.0.0.1 / ::1 only. */
  allowInsecureLoopback?: boolean;
  /** A custom fetch (a test double, an instrumented fetch). Default `globalThis.fetch`. */
  fetch?: (input: Request) => Promise<Response>;
  /** Headers sent on every request. */
  headers?: Record<string, string>;
  /** Retries, as `createWooClient` does (GET, HEAD, OPTIONS on 429, 502, 503, 504 and network errors); `false` to turn off. */
  retry?: RetryOptions | false;
  /** Per-attempt timeout in ms, default 30 000; 0 disables. A timeout throws a `WooTimeoutError`. */
  timeout?: number;
  /** Same-origin redirects of a GET or HEAD followed in a row (signed afresh), default 5; 0 follows none. Credentials never go to another origin. */
  maxRedirects?: number;
  /** Largest response body accepted, in bytes, default 32 MiB; a larger one is a `WooResponseTooLargeError`. */
  maxResponseBytes?: number;
}

/** openapi-fetch's client interface (declared by this package: see docs/decisions/client-types.md), plus: */
export type LegacyClient = RawClient<paths> & {
  /** The API root every path is relative to, e.g. `https://example.com/wc-api/v2`. */
  readonly baseUrl: string;
  readonly auth: 'basic' | 'oauth1';
};

function resolveLegacyBaseUrl(url: unknown): URL {
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
  u.pathname = path.endsWith(LEGACY_API_PREFIX) ? path : path + LEGACY_API_PREFIX;
  return u;
}

/** Each legacy client's own secret forms (see secretForms), for the errors `legacyPages` builds from its answers. */
const clientSecrets = new WeakMap<object, readonly string[]>();

export function createLegacyClient(options: LegacyClientOptions): LegacyClient {
  const {
    consumerKey: key,
    consumerSecret: secret,
    signatureMethod = 'HMAC-SHA256',
  } = options ?? ({} as LegacyClientOptions);
  const base = resolveLegacyBaseUrl(options?.url);
  if (typeof key !== 'string' || !key || typeof secret !== 'string' || !secret)
    throw configError(
      `createLegacyClient needs consumerKey and consumerSecret (ck_..., cs_...): ${key ? 'consumerSecret' : 'consumerKey'} is missing`,
    );
  const https = base.protocol === 'https:';
  const auth = (options.auth ?? 'auto') === 'auto' ? (https ? 'basic' : 'oauth1') : options.auth;
  if (auth !== 'basic' && auth !== 'oauth1')
    throw configError(`auth must be one of auto, basic, oauth1; got ${auth}`);
  if (auth === 'basic' && !https && !(options.allowInsecureLoopback && isLoopback(base.hostname))) {
    throw configError(
      `refusing to send Basic credentials over plain http to ${base.hostname}: the legacy API ignores them there (404) and they would travel in clear; use https, or auth 'oauth1'`,
    );
  }
  if (auth === 'oauth1' && https) {
    // The plugin reads oauth_* only when PHP sees plain http; on https it wants Basic and answers 404.
    throw configError(
      `the legacy API accepts OAuth 1.0a only over plain http; ${base.host} is https: use auth 'basic'`,
    );
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function')
    throw configError('fetch must be a function');
  const { timeout = 30_000 } = options;
  if (typeof timeout !== 'number' || !(timeout >= 0))
    throw configError(`timeout must be milliseconds >= 0; got ${String(timeout)}`);

  const origin = base.origin;
  const signer = auth === 'oauth1' ? createLegacyOAuthSigner(key, secret, signatureMethod) : undefined;
  const basic = `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`${key}:${secret}`)))}`;
  const secrets = secretForms([key, secret], [[key, secret]]);
  // The wc/v3 client's transport: per-attempt timeouts, retries, redirects followed only where that is safe and
  // signed afresh, the body read under a cap, typed errors without credentials, and `Link` scrubbed of them.
  const t: Transport = {
    auth: {
      inUrl: !!signer,
      header: undefined,
      signUrl(method, raw) {
        const url = stripCredentials(raw);
        // Credentials go to the store's own origin only.
        if (new URL(url).origin !== origin)
          throw configError(`refusing to send credentials to ${new URL(url).origin}`);
        if (!signer) return { url, authorization: basic };
        return signer.sign(method, url).then((oauth) => ({ url: withLegacyOAuth(url, oauth) }));
      },
    },
    retry: options.retry === false ? null : resolveRetry(options.retry ?? {}),
    timeoutMs: timeout,
    maxRedirects: intOption('maxRedirects', options.maxRedirects, DEFAULT_MAX_REDIRECTS, 0),
    maxResponseBytes: intOption('maxResponseBytes', options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES, 1),
    fetch: options.fetch,
    secrets,
    consumerKey: key,
    consumerSecret: secret,
  };
  const client = createClient<paths>({
    baseUrl: base.href,
    headers: options.headers,
    fetch: transportFetch(base.href, {
      t,
      send,
      mergeInto,
      timeout,
      retryOf: retryForCall(options.retry, t.retry),
    }),
  });
  clientSecrets.set(client, secrets);
  return Object.assign(client, { baseUrl: base.href, auth }) as unknown as LegacyClient;
}

/** The body of a path's GET 200 when that answer declares `X-WC-TotalPages` (a paged list), else never. */
type PagedBody<P extends keyof paths> = paths[P] extends {
  get: {
    responses: { 200: { headers: { 'X-WC-TotalPages': unknown }; content: { 'application/json': infer B } } };
  };
}
  ? B
  : never;
/** The paged lists of the legacy API, read from the spec: the GETs whose 200 declares X-WC-TotalPages. */
export type LegacyPagedPath = { [P in keyof paths]: [PagedBody<P>] extends [never] ? never : P }[keyof paths];
type ArrayItem<V> = V extends (infer T)[] ? T : never;
/** A list's item: the array in its envelope (`{ products: Product[] }` -> Product). */
type ListItem<P extends LegacyPagedPath> = ArrayItem<PagedBody<P>[keyof PagedBody<P>]>;
type ListInit<P extends LegacyPagedPath> = {
  params?: {
    query?: NonNullable<paths[P]['get']['parameters']['query']>;
    path?: paths[P]['get']['parameters']['path'];
  };
  headers?: Record<string, string>;
  signal?: AbortSignal;
};

export interface LegacyPage<T> {
  items: T[];
  /** 1-based. */
  page: number;
  /** X-WC-TotalPages (0 for `filter[limit]=-1`, which answers everything on page 1). */
  totalPages: number;
  /** X-WC-Total. */
  total: number;
  response: Response;
}

/**
 * Every page of a paged legacy list, from `init`'s page (default 1) to `X-WC-TotalPages`. It counts pages itself
 * instead of following `Link`, whose URLs lose the store's port. An error answer throws a `WooApiError` with the
 * envelope's first `code`.
 */
export async function* legacyPages<P extends LegacyPagedPath>(
  client: LegacyClient,
  path: P,
  init?: ListInit<P>,
): AsyncGenerator<LegacyPage<ListItem<P>>> {
  const params = (init?.params ?? {}) as { query?: Record<string, unknown>; path?: Record<string, unknown> };
  let page = Number(params.query?.page ?? 1);
  for (;;) {
    const { data, error, response } = await client.GET(
      path as '/products',
      {
        ...init,
        params: { ...params, query: { ...params.query, page } },
      } as never,
    );
    if (!response.ok || error !== undefined) {
      const first = (error as { errors?: { code?: string; message?: string }[] } | undefined)?.errors?.[0];
      throw new WooApiError({
        code: first?.code ?? 'wooapi_http_error',
        message: first?.message ?? `HTTP ${response.status}`,
        status: response.status,
        method: 'GET',
        path,
        url: response.url || undefined,
        secrets: clientSecrets.get(client),
      });
    }
    const items = (Object.values(data ?? {}).find(Array.isArray) ?? []) as ListItem<P>[];
    const totalPages = Number(response.headers.get('x-wc-totalpages') ?? 0);
    const total = Number(response.headers.get('x-wc-total') ?? items.length);
    yield { items, page, totalPages, total, response };
    if (items.length === 0 || page >= totalPages) return;
    page++;
  }
}
