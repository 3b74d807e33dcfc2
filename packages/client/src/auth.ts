import type { Middleware } from 'openapi-fetch';
import { configError } from './errors.js';
import type { OAuthSignatureMethod } from './oauth.js';

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
  /** Where the oauth_* parameters go. Default `query`, which every host passes on; `header` for `Authorization: OAuth`. */
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

const isLoopback = (host: string) => /^(localhost|.+\.localhost|\[::1\]|127\.\d+\.\d+\.\d+)$/i.test(host);

const basic = (user: string, pass: string) => {
  let bin = '';
  for (const b of new TextEncoder().encode(`${user}:${pass}`)) bin += String.fromCharCode(b);
  return `Basic ${btoa(bin)}`;
};

/** A copy of `request` at another URL; the body is buffered so this works where streaming bodies do not. */
export async function withUrl(request: Request, url: string): Promise<Request> {
  const next = new Request(url, {
    method: request.method,
    headers: request.headers,
    body: request.body && (await request.arrayBuffer()),
    signal: request.signal,
    redirect: request.redirect,
  });
  // openapi-fetch carries per-request options as own properties of the Request; keep them.
  for (const k of ['retry', 'timeout', '_woo']) {
    if (k in request && !(k in next))
      (next as unknown as Record<string, unknown>)[k] = (request as unknown as Record<string, unknown>)[k];
  }
  return next;
}

const CREDENTIAL = /oauth_|consumer_(key|secret)/i;

/** Remove credential parameters from a URL's query string (an earlier signature, or echoed credentials). */
export function stripCredentials(url: string): string {
  const q = url.indexOf('?');
  if (q < 0 || !CREDENTIAL.test(url)) return url;
  const kept = url
    .slice(q + 1)
    .split('&')
    .filter((p) => !/^(oauth_[a-z_]+|consumer_key|consumer_secret)(=|$)/i.test(p));
  return url.slice(0, q) + (kept.length ? `?${kept.join('&')}` : '');
}

/** Resolve the auth option against the store URL; refuses to send reusable credentials over plain http. */
export function createAuthenticator(input: AuthInput): Authenticator {
  const { auth = 'auto', consumerKey: key, consumerSecret: secret, baseUrl } = input;
  const https = baseUrl.protocol === 'https:';
  const mode = (
    typeof auth === 'object' && auth
      ? 'application-password'
      : auth === 'auto'
        ? https
          ? 'basic'
          : 'oauth1'
        : auth
  ) as AuthKind;
  if (!['basic', 'oauth1', 'query', 'application-password'].includes(mode)) {
    throw configError(
      `auth must be 'auto', 'basic', 'oauth1', 'query' or { type: 'application-password', username, password }; got ${String(auth)}`,
    );
  }
  const host = baseUrl.hostname;
  if (mode !== 'oauth1' && !https && !(input.allowInsecureLoopback && isLoopback(host))) {
    throw configError(
      `refusing to send ${mode === 'query' ? 'query-string' : 'Basic'} credentials over plain http to ${host}: anyone on the way could reuse them. ` +
        `Use an https:// URL, or auth 'oauth1' (signed)${isLoopback(host) ? ', or allowInsecureLoopback: true for a local development store' : '; allowInsecureLoopback only applies to localhost, 127.0.0.1 and ::1'}.`,
    );
  }
  const setHeader = (kind: AuthKind, header: string): Authenticator => ({
    kind,
    inUrl: false,
    sign(request) {
      // A Request built by openapi-fetch has mutable headers: set in place, no copy.
      request.headers.set('Authorization', header);
      return request;
    },
  });

  if (mode === 'application-password') {
    const { username, password } = auth as { username?: unknown; password?: unknown };
    if (typeof username !== 'string' || !username || typeof password !== 'string' || !password) {
      throw configError(
        "auth { type: 'application-password' } needs a non-empty username and password (a WordPress user and an application password from Users > Profile)",
      );
    }
    // Application passwords are shown with spaces for readability; WordPress ignores them.
    return setHeader(mode, basic(username, password.replace(/\s+/g, '')));
  }

  if (typeof key !== 'string' || !key || typeof secret !== 'string' || !secret) {
    throw configError(
      `auth '${mode}' needs consumerKey and consumerSecret (ck_... and cs_..., from WooCommerce > Settings > Advanced > REST API); ${key ? 'consumerSecret' : 'consumerKey'} is missing or empty`,
    );
  }
  if (mode === 'basic') return setHeader(mode, basic(key, secret));

  if (mode === 'query') {
    const creds = `consumer_key=${encodeURIComponent(key)}&consumer_secret=${encodeURIComponent(secret)}`;
    return {
      kind: mode,
      inUrl: true,
      sign(request) {
        const url = stripCredentials(request.url);
        return withUrl(request, `${url}${url.includes('?') ? '&' : '?'}${creds}`);
      },
    };
  }

  const { placement = 'query', signatureMethod = 'HMAC-SHA256' } = input.oauth ?? {};
  if (placement !== 'query' && placement !== 'header')
    throw configError(`oauth.placement must be 'query' or 'header'; got ${placement}`);
  if (signatureMethod !== 'HMAC-SHA256' && signatureMethod !== 'HMAC-SHA1') {
    throw configError(
      `oauth.signatureMethod must be 'HMAC-SHA256' or 'HMAC-SHA1' (WooCommerce accepts no other); got ${signatureMethod}`,
    );
  }
  // Loaded on first use: an https store never downloads the signing code (bundlers split dynamic imports).
  let signer: Promise<import('./oauth.js').OAuthSigner> | undefined;
  return {
    kind: mode,
    inUrl: placement === 'query',
    async sign(request) {
      const oauth = await import('./oauth.js');
      signer ??= Promise.resolve(oauth.createOAuthSigner(key, secret, signatureMethod));
      const url = stripCredentials(request.url);
      const params = await (await signer).sign(request.method, url);
      if (placement === 'query') return withUrl(request, oauth.appendQuery(url, params));
      const next = url === request.url ? request : await withUrl(request, url);
      next.headers.set('Authorization', oauth.authorizationHeader(params));
      return next;
    },
  };
}

/** openapi-fetch middleware: authenticates each request, and scrubs credentials a store echoes back in `Link`. */
export function authMiddleware(auth: Authenticator): Middleware {
  return {
    onRequest: ({ request }) => auth.sign(request),
    onResponse({ response }) {
      const link = response.headers.get('link');
      if (!auth.inUrl || !(CREDENTIAL.test(response.url) || (link && CREDENTIAL.test(link))))
        return undefined;
      // A constructed Response has no `url`, and its Link header is rewritten without credentials.
      const headers = new Headers(response.headers);
      if (link)
        headers.set(
          'link',
          link.replace(/<([^>]*)>/g, (_, u: string) => `<${stripCredentials(u)}>`),
        );
      const { status, statusText } = response;
      return new Response([101, 204, 205, 304].includes(status) ? null : response.body, {
        status,
        statusText,
        headers,
      });
    },
  };
}
