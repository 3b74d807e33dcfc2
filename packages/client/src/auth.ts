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

const oneOf = (name: string, value: unknown, allowed: unknown[]) => {
  if (!allowed.includes(value))
    throw configError(`${name} must be one of ${allowed.join(', ')}; got ${value}`);
};

const isLoopback = (host: string) => /^(localhost|\[::1\]|127(\.\d+){3})$/.test(host);

const basic = (user: string, pass: string) => {
  let bin = '';
  for (const b of new TextEncoder().encode(`${user}:${pass}`)) bin += String.fromCharCode(b);
  return `Basic ${btoa(bin)}`;
};

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
  oneOf('auth', mode, ['basic', 'oauth1', 'query', 'application-password']);
  const host = baseUrl.hostname;
  if (mode !== 'oauth1' && !https && !(input.allowInsecureLoopback && isLoopback(host))) {
    throw configError(
      `refusing to send ${mode} credentials over plain http to ${host}: use https, or auth 'oauth1'` +
        (isLoopback(host)
          ? ', or allowInsecureLoopback for a local store'
          : ' (allowInsecureLoopback only applies to localhost)'),
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
      throw configError('an application-password auth needs a username and password');
    }
    // Application passwords are shown with spaces for readability; WordPress ignores them.
    return setHeader(mode, basic(username, password.replace(/\s+/g, '')));
  }

  if (typeof key !== 'string' || !key || typeof secret !== 'string' || !secret) {
    throw configError(
      `auth '${mode}' needs consumerKey and consumerSecret (ck_..., cs_...): ${key ? 'consumerSecret' : 'consumerKey'} is missing`,
    );
  }
  if (mode === 'basic') return setHeader(mode, basic(key, secret));

  const { placement = 'query', signatureMethod = 'HMAC-SHA256' } = input.oauth ?? {};
  oneOf('oauth.placement', placement, ['query', 'header']);
  oneOf('oauth.signatureMethod', signatureMethod, ['HMAC-SHA256', 'HMAC-SHA1']);
  // Loaded on first use: a Basic-auth client never downloads the signing code (bundlers split dynamic imports).
  let signer: Promise<(request: Request) => Promise<Request>> | undefined;
  return {
    kind: mode,
    inUrl: mode === 'query' || placement === 'query',
    sign(request) {
      signer ??= import('./oauth.js').then((m) =>
        m.urlAuth(mode === 'query', key, secret, signatureMethod, placement),
      );
      return signer.then((sign) => sign(request));
    },
  };
}

/** openapi-fetch middleware: authenticates each request, and scrubs credentials a store echoes back in `Link`. */
export function authMiddleware(auth: Authenticator): Middleware {
  const onRequest: Middleware['onRequest'] = ({ request }) => auth.sign(request);
  // Only credentials in the URL can come back in a Link header; Basic needs no response hook (one await less).
  if (!auth.inUrl) return { onRequest } as Middleware;
  return {
    onRequest,
    onResponse: ({ response }) => import('./oauth.js').then((m) => m.scrubResponse(response)),
  } as Middleware;
}
