import type { Middleware } from 'openapi-fetch';
import { WooConfigError } from './errors.js';
import {
  appendQuery,
  authorizationHeader,
  createOAuthSigner,
  type OAuthSignatureMethod,
  type OAuthSigner,
} from './oauth.js';

/**
 * How requests are authenticated.
 * - `auto` (default): `basic` for an https store, `oauth1` for an http store.
 * - `basic`: HTTP Basic with the consumer key and secret (HTTPS).
 * - `oauth1`: OAuth 1.0a one-legged signature (for stores on plain HTTP).
 * - `query`: `consumer_key`/`consumer_secret` in the query string, for HTTPS hosts that strip `Authorization`.
 * - `{ type: 'application-password', username, password }`: WordPress Application Password over Basic (HTTPS).
 */
export type AuthOption =
  | 'auto'
  | 'basic'
  | 'oauth1'
  | 'query'
  | { type: 'application-password'; username: string; password: string };

export interface OAuthOptions {
  /** Default `HMAC-SHA256`; `HMAC-SHA1` for old stores or proxies that insist on it. */
  signatureMethod?: OAuthSignatureMethod;
  /** Where the oauth_* parameters go. Default `query`, which every host passes through; `header` for `Authorization: OAuth`. */
  placement?: 'query' | 'header';
}

export type AuthKind = 'basic' | 'oauth1' | 'query' | 'application-password';

export interface Authenticator {
  readonly kind: AuthKind;
  /** True when credentials travel in the URL (and so may be echoed back in `Link` headers). */
  readonly inUrl: boolean;
  /** Authenticate a request; signing again replaces an earlier signature (used for retries). */
  sign(request: Request): Request | Promise<Request>;
}

export interface AuthInput {
  baseUrl: URL;
  consumerKey?: string | undefined;
  consumerSecret?: string | undefined;
  auth?: AuthOption | undefined;
  oauth?: OAuthOptions | undefined;
  allowInsecureLoopback?: boolean | undefined;
}

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

const CUSTOM_PROPS = ['retry', 'timeout'] as const;

/** A copy of `request` at another URL; the body is buffered so this works where streaming bodies do not. */
export async function withUrl(request: Request, url: string): Promise<Request> {
  const body = request.body === null ? undefined : await request.arrayBuffer();
  const next = new Request(url, {
    method: request.method,
    headers: request.headers,
    body,
    signal: request.signal,
    redirect: request.redirect,
    credentials: request.credentials,
    cache: request.cache,
    referrerPolicy: request.referrerPolicy,
    keepalive: request.keepalive,
  });
  // openapi-fetch carries per-request options as own properties of the Request; keep them.
  for (const k of CUSTOM_PROPS) {
    const v = (request as unknown as Record<string, unknown>)[k];
    if (v !== undefined) (next as unknown as Record<string, unknown>)[k] = v;
  }
  return next;
}

const CREDENTIAL_KEYS = /^(oauth_[a-z_]+|consumer_key|consumer_secret)$/i;

/** Remove credential parameters from a URL's query string (an earlier signature, or echoed credentials). */
export function stripCredentials(url: string): string {
  const q = url.indexOf('?');
  if (q === -1 || !/oauth_|consumer_(key|secret)/i.test(url)) return url;
  const hashAt = url.indexOf('#', q);
  const query = url.slice(q + 1, hashAt === -1 ? undefined : hashAt);
  const kept = query.split('&').filter((p) => {
    const name = decodeURIComponent(p.split('=')[0] ?? '');
    return p && !CREDENTIAL_KEYS.test(name);
  });
  return (
    url.slice(0, q) + (kept.length ? `?${kept.join('&')}` : '') + (hashAt === -1 ? '' : url.slice(hashAt))
  );
}

/** Rewrite every URL of a `Link` header without credential parameters. */
export function scrubLinkHeader(link: string): string {
  return link.replace(/<([^>]*)>/g, (_m, u: string) => `<${stripCredentials(u)}>`);
}

/** Resolve the auth option against the store URL; refuses to send reusable credentials over plain http. */
export function createAuthenticator(input: AuthInput): Authenticator {
  const auth = input.auth ?? 'auto';
  const https = input.baseUrl.protocol === 'https:';
  const mode: AuthKind =
    typeof auth === 'object' && auth !== null
      ? 'application-password'
      : auth === 'auto'
        ? https
          ? 'basic'
          : 'oauth1'
        : auth;
  if (!['basic', 'oauth1', 'query', 'application-password'].includes(mode)) {
    throw new WooConfigError({
      code: 'wooapi_invalid_config',
      message: `auth must be 'auto', 'basic', 'oauth1', 'query' or { type: 'application-password', username, password }; got ${JSON.stringify(String(auth))}`,
    });
  }

  if (mode !== 'oauth1' && !https) {
    const host = input.baseUrl.hostname;
    if (!(input.allowInsecureLoopback && isLoopback(host))) {
      throw new WooConfigError({
        code: 'wooapi_invalid_config',
        message:
          `refusing to send ${mode === 'query' ? 'query-string' : 'Basic'} credentials over plain http to ${host}: ` +
          'anyone on the path could read and reuse them. Use an https:// store URL, or auth: "oauth1" (signed, ' +
          'nothing reusable on the wire)' +
          (isLoopback(host)
            ? ', or allowInsecureLoopback: true for a local development store.'
            : '. allowInsecureLoopback only applies to localhost / 127.0.0.1 / ::1.'),
      });
    }
  }

  if (mode === 'application-password') {
    const ap = auth as { username?: unknown; password?: unknown };
    if (typeof ap.username !== 'string' || !ap.username || typeof ap.password !== 'string' || !ap.password) {
      throw new WooConfigError({
        code: 'wooapi_invalid_config',
        message:
          "auth { type: 'application-password' } needs a non-empty username and password (the WordPress user name and an application password from Users > Profile)",
      });
    }
    // Application passwords are shown with spaces for readability; WordPress ignores them.
    const header = `Basic ${base64Utf8(`${ap.username}:${ap.password.replace(/\s+/g, '')}`)}`;
    return basicLike('application-password', header);
  }

  const { consumerKey, consumerSecret } = input;
  if (
    typeof consumerKey !== 'string' ||
    !consumerKey ||
    typeof consumerSecret !== 'string' ||
    !consumerSecret
  ) {
    throw new WooConfigError({
      code: 'wooapi_invalid_config',
      message:
        `auth '${mode}' needs consumerKey and consumerSecret (ck_... and cs_..., from WooCommerce > Settings > Advanced > REST API); ` +
        `${typeof consumerKey === 'string' && consumerKey ? 'consumerSecret' : 'consumerKey'} is missing or empty`,
    });
  }

  if (mode === 'basic') return basicLike('basic', `Basic ${base64Utf8(`${consumerKey}:${consumerSecret}`)}`);

  if (mode === 'query') {
    const creds = { consumer_key: consumerKey, consumer_secret: consumerSecret };
    return {
      kind: 'query',
      inUrl: true,
      sign: (request) => withUrl(request, appendQuery(stripCredentials(request.url), creds)),
    };
  }

  const placement = input.oauth?.placement ?? 'query';
  if (placement !== 'query' && placement !== 'header') {
    throw new WooConfigError({
      code: 'wooapi_invalid_config',
      message: `oauth.placement must be 'query' or 'header'; got ${JSON.stringify(String(placement))}`,
    });
  }
  let signer: OAuthSigner;
  try {
    signer = createOAuthSigner(consumerKey, consumerSecret, input.oauth?.signatureMethod);
  } catch (e) {
    throw new WooConfigError({ code: 'wooapi_invalid_config', message: (e as Error).message });
  }
  return {
    kind: 'oauth1',
    inUrl: placement === 'query',
    async sign(request) {
      const url = stripCredentials(request.url);
      const params = await signer.sign(request.method, url);
      if (placement === 'header') {
        const next = url === request.url ? request : await withUrl(request, url);
        next.headers.set('Authorization', authorizationHeader(params));
        return next;
      }
      return withUrl(request, appendQuery(url, params));
    },
  };
}

function basicLike(kind: AuthKind, header: string): Authenticator {
  return {
    kind,
    inUrl: false,
    sign(request) {
      // A Request built by openapi-fetch has mutable headers: set in place, no copy.
      request.headers.set('Authorization', header);
      return request;
    },
  };
}

/** openapi-fetch middleware: authenticates each request, and scrubs credentials a store echoes back in `Link`. */
export function authMiddleware(auth: Authenticator): Middleware {
  return {
    onRequest({ request }) {
      return auth.sign(request);
    },
    onResponse({ response }) {
      if (!auth.inUrl) return undefined;
      const link = response.headers.get('link');
      const urlLeaks = /oauth_|consumer_(key|secret)/i.test(response.url);
      if (!urlLeaks && !(link && /oauth_|consumer_(key|secret)/i.test(link))) return undefined;
      // A constructed Response has no `url`, and its Link header is rewritten without credentials.
      const headers = new Headers(response.headers);
      if (link) headers.set('link', scrubLinkHeader(link));
      const nullBody = [101, 204, 205, 304].includes(response.status);
      return new Response(nullBody ? null : response.body, {
        status: response.status,
        statusText: response.statusText,
        headers,
      });
    },
  };
}
