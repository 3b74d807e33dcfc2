import { base64, configError, secretForms } from './errors.js';
import type { OAuthSignatureMethod, Signed } from './oauth.js';
import type { Middleware } from './types.js';
import { CREDENTIAL, stripCredentials } from './url.js';

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
  /** @internal Every form of these credentials that must never appear in an error (see `secretForms`). */
  readonly secrets: readonly string[];
  /** @internal The constant `Authorization` header of Basic and application-password auth. */
  readonly header: string | undefined;
  /** @internal Authenticate one attempt at a method and URL (an earlier signature in the URL is replaced). */
  signUrl(method: string, url: string): Signed | Promise<Signed>;
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

/** localhost, 127.x.x.x or [::1]: the hosts where `allowInsecureLoopback` may send Basic over plain http. */
export const isLoopback = (host: string): boolean => /^(localhost|\[::1\]|127(\.\d+){3})$/.test(host);

const basic = (user: string, pass: string) => `Basic ${base64(`${user}:${pass}`)}`;

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
  let secrets: string[];
  let header: string | undefined;
  let signUrl: Authenticator['signUrl'] | undefined;
  let inUrl = false;
  if (mode === 'application-password') {
    const { username, password } = auth as { username?: unknown; password?: unknown };
    if (typeof username !== 'string' || !username || typeof password !== 'string' || !password) {
      throw configError('an application-password auth needs a username and password');
    }
    // Application passwords are shown with spaces for readability; WordPress ignores them.
    const bare = password.replace(/\s+/g, '');
    header = basic(username, bare);
    secrets = secretForms(
      [password, bare],
      [
        [username, bare],
        [username, password],
      ],
    );
  } else {
    if (typeof key !== 'string' || !key || typeof secret !== 'string' || !secret) {
      throw configError(
        `auth '${mode}' needs consumerKey and consumerSecret (ck_..., cs_...): ${key ? 'consumerSecret' : 'consumerKey'} is missing`,
      );
    }
    secrets = secretForms([key, secret], [[key, secret]]);
    if (mode === 'basic') header = basic(key, secret);
    else if (mode === 'query') {
      inUrl = true;
      const creds = `consumer_key=${encodeURIComponent(key)}&consumer_secret=${encodeURIComponent(secret)}`;
      signUrl = (_method, raw) => {
        const url = stripCredentials(raw);
        return { url: `${url}${url.includes('?') ? '&' : '?'}${creds}` };
      };
    } else {
      const { placement = 'query', signatureMethod = 'HMAC-SHA256' } = input.oauth ?? {};
      oneOf('oauth.placement', placement, ['query', 'header']);
      oneOf('oauth.signatureMethod', signatureMethod, ['HMAC-SHA256', 'HMAC-SHA1']);
      inUrl = placement === 'query';
      // Loaded on first use: a Basic-auth client never downloads the signing code (bundlers split dynamic imports).
      let ready: ((method: string, url: string) => Signed | Promise<Signed>) | undefined;
      let loading: Promise<unknown> | undefined;
      signUrl = (method, raw) => {
        // An earlier signature (a retry, a followed redirect) is replaced.
        const url = stripCredentials(raw);
        if (ready) return ready(method, url);
        loading ??= import('./oauth-auth.js').then((m) => {
          ready = m.oauthAuth(key, secret, signatureMethod, placement);
        });
        return loading.then(() => ready!(method, url));
      };
    }
  }
  const a: Authenticator = {
    kind: mode,
    inUrl,
    secrets,
    header,
    // Basic and application passwords: a constant header.
    signUrl: signUrl ?? ((_method, url) => ({ url, authorization: header })),
    // For openapi-fetch middleware only (the client's own calls use signUrl): a chunk of its own.
    sign: (request) => import('./sign-request.js').then((m) => m.signRequest(a, request)),
  };
  return a;
}

/** openapi-fetch middleware: authenticates each request, and scrubs credentials a store echoes back in `Link`. */
export function authMiddleware(auth: Authenticator): Middleware {
  const onRequest: Middleware['onRequest'] = ({ request }) => auth.sign(request);
  // Only credentials in the URL can come back in a Link header; Basic needs no response hook (one await less).
  if (!auth.inUrl) return { onRequest } as Middleware;
  return { onRequest, onResponse: ({ response }) => scrubResponse(response) } as Middleware;
}

/** @internal A response without `url` and with credentials removed from its `Link` URLs (a store can echo them). */
export function scrubResponse(response: Response): Response | undefined {
  const link = response.headers.get('link');
  if (!(CREDENTIAL.test(response.url) || (link && CREDENTIAL.test(link)))) return undefined;
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
}
