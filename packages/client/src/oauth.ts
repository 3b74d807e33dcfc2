/**
 * OAuth 1.0a one-legged signing, computed exactly as WooCommerce's `WC_REST_Authentication::check_oauth_signature`
 * recomputes it on the server (see docs/decisions/oauth-array-params.md):
 *
 * 1. the parameters are what PHP parses from the query string (`$_GET`, decoded, `a[b]=1` nested) plus the `oauth_*`
 *    parameters, without `oauth_signature`;
 * 2. top-level keys are sorted in byte order (`uksort($params, 'strcmp')`); nested arrays keep their order;
 * 3. top-level keys and every leaf value are RFC 3986 encoded (`rawurlencode`);
 * 4. nested keys become `key%5Bsub%5D` (the sub-key itself not encoded), each `key=value` pair is encoded again, and
 *    the pairs are joined with `%26`;
 * 5. base string = `METHOD&rawurlencode(scheme://host[:port]/path)&pairs`, HMAC keyed with `consumer_secret&`.
 *
 * The HMAC is node:crypto under Node and WebCrypto elsewhere (the `#hmac` import, see hmac.ts), so it runs in Node
 * 20+, browsers, Deno, Bun and edge runtimes.
 */

import { createHmac, randomNonce } from '#hmac';

export type OAuthSignatureMethod = 'HMAC-SHA256' | 'HMAC-SHA1';

const UNRESERVED = /^[\w.~-]*$/;

/** RFC 3986 percent-encoding, PHP's `rawurlencode`: everything but `A-Z a-z 0-9 - _ . ~`. */
export function rfc3986(value: string): string {
  if (UNRESERVED.test(value)) return value;
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** PHP `urldecode` as applied to a query string: `+` is a space, malformed escapes stay literal. */
function phpUrlDecode(value: string): string {
  const s = value.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(s);
  } catch {
    return s.replace(/%[0-9a-fA-F]{2}/g, (m) => {
      try {
        return decodeURIComponent(m);
      } catch {
        return m;
      }
    });
  }
}

/** A PHP array: ordered keys, string leaves or nested arrays. */
export type PhpValue = string | PhpArray;
export type PhpArray = Map<string, PhpValue>;

function nextIndex(arr: PhpArray): string {
  let max = -1;
  for (const k of arr.keys()) {
    if (/^(0|[1-9]\d*)$/.test(k)) max = Math.max(max, Number(k));
  }
  return String(max + 1);
}

/** A top-level name as PHP keeps it: leading spaces dropped, `.` and space made `_`. */
const topName = (key: string) => key.replace(/^ +/, '').replace(/[ .]/g, '_');

/**
 * Parse a query string the way PHP fills `$_GET` (`parse_str`): decoded keys and values, `a[]=1&a[]=2` and
 * `a[b]=1` as nested arrays, a repeated plain key keeps the last value at its first position, and `.` or space in
 * a top-level name becomes `_`.
 */
export function parsePhpQuery(search: string): PhpArray {
  const root: PhpArray = new Map();
  const query = search.startsWith('?') ? search.slice(1) : search;
  if (!query) return root;
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const rawKey = phpUrlDecode(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : phpUrlDecode(part.slice(eq + 1));
    const open = rawKey.indexOf('[');
    const close = open === -1 ? -1 : rawKey.indexOf(']', open);
    if (open <= 0 || close === -1) {
      const base = topName(rawKey);
      if (base) root.set(base, value);
      continue;
    }
    const base = topName(rawKey.slice(0, open));
    const subs: string[] = [];
    let i = open;
    while (rawKey[i] === '[') {
      const j = rawKey.indexOf(']', i);
      if (j === -1) break;
      subs.push(rawKey.slice(i + 1, j));
      i = j + 1;
    }
    let node = root;
    let key = base;
    for (const sub of subs) {
      let child = node.get(key);
      if (!(child instanceof Map)) {
        child = new Map();
        node.set(key, child);
      }
      node = child;
      key = sub === '' ? nextIndex(node) : sub;
    }
    node.set(key, value);
  }
  return root;
}

/** Byte-order comparison of UTF-8 strings, as PHP's `strcmp`. */
function strcmp(a: string, b: string): number {
  if (a === b) return 0;
  // UTF-16 order equals UTF-8 byte order except across surrogates; WooCommerce keys are ASCII in practice.
  return a < b ? -1 : 1;
}

/**
 * `key=value` pairs, each encoded twice as WooCommerce does: the leaf value and the top-level key once (step 3), then
 * the pair again (step 4). Encoding is per character, so the pair is encoded as `enc(key)%3Denc(value)`.
 */
const leafPair = (key: string, value: string) => `${rfc3986(key)}%3D${rfc3986(rfc3986(value))}`;

function joinWithEqualsSign(params: Iterable<[string, PhpValue]>, out: string[], prefix?: string): void {
  for (const [k, v] of params) {
    // Top-level keys (no prefix) are encoded before they prefix nested keys; nested keys are not (as WooCommerce does).
    const key = prefix === undefined ? rfc3986(k) : prefix ? `${prefix}%5B${k}%5D` : k;
    if (v instanceof Map) joinWithEqualsSign(v, out, key);
    else out.push(leafPair(key, v));
  }
}

/** The normalized, encoded parameter string (step 3 to 6 of the legacy docs), as WooCommerce computes it. */
export function normalizedParameters(params: PhpArray): string {
  const sorted: [string, PhpValue][] = [];
  for (const e of params) if (e[0] !== 'oauth_signature') sorted.push(e);
  sorted.sort((a, b) => strcmp(a[0], b[0]));
  const out: string[] = [];
  joinWithEqualsSign(sorted, out);
  return out.join('%26');
}

/**
 * A path and query made of characters that WHATWG URL parsing of an http(s) URL leaves as they are (a query: printable
 * ASCII but space " # ' < >), with no dot segment and no `%2e` (which parsing also reads as a dot): such a URL is
 * split with string operations, anything else is parsed with `new URL`.
 */
const PLAIN = /^(?:\/[\w\-.~%!$&'()*+,;=:@]*)+(?:\?[!$-&(-;=?-~]*)?$/;
const DOTS = /\/\.\.?(?:[/?]|$)|%2e/i;
/** The last origin seen and its encoding (one client signs for one origin). */
let lastOrigin = '';
let lastOriginEncoded = '';

/**
 * The `METHOD&encoded-base-url&` head of a base string and the URL's query (with its `?`, or `''`). The base URL is
 * the origin (scheme and host lower-cased, default port dropped: RFC 5849 3.4.1.2, as `URL.origin` gives them) and
 * the path. A URL of our own making (the store's origin, a plain path) is split without parsing it again.
 */
function baseOf(method: string, url: string): { head: string; search: string } {
  const m = method.toUpperCase();
  const n = lastOrigin.length;
  const rest = url.slice(n);
  if (n && url.startsWith(lastOrigin) && PLAIN.test(rest) && !DOTS.test(rest)) {
    const q = rest.indexOf('?');
    return {
      head: `${m}&${lastOriginEncoded}${rfc3986(q < 0 ? rest : rest.slice(0, q))}&`,
      search: q < 0 ? '' : rest.slice(q),
    };
  }
  const u = new URL(url);
  // A URL that spells its origin otherwise (`HTTP://`, `:80`, `user@`) never takes the fast path: the origin is not
  // its prefix, or what follows the prefix is not a plain path.
  lastOrigin = u.origin;
  lastOriginEncoded = rfc3986(u.origin);
  return { head: `${m}&${rfc3986(u.origin + u.pathname)}&`, search: u.search };
}

/** The normalized parameter string of a query (`?a=1`, or `''`) and the oauth_* parameters. */
function parameterString(search: string, oauthParams: Record<string, string>): string {
  const params = parsePhpQuery(search);
  for (const [k, v] of Object.entries(oauthParams)) params.set(k, v);
  return normalizedParameters(params);
}

/** `METHOD&encoded-base-url&encoded-params` for a full request URL and the oauth_* parameters to add. */
export function signatureBaseString(
  method: string,
  url: string,
  oauthParams: Record<string, string>,
): string {
  const { head, search } = baseOf(method, url);
  return head + parameterString(search, oauthParams);
}

/** 32 random alphanumerics (hexadecimal under Node): WooCommerce remembers nonces per key for 15 minutes and refuses a repeat. */
export const createNonce: () => string = randomNonce;

export interface OAuthSigner {
  readonly signatureMethod: OAuthSignatureMethod;
  /** The oauth_* parameters, signature included, for one request. */
  sign(
    method: string,
    url: string,
    fixed?: { nonce?: string; timestamp?: string | number },
  ): Promise<Record<string, string>>;
}

type Fixed = { nonce?: string; timestamp?: string | number } | undefined;
type MaybePromise<T> = T | Promise<T>;

/**
 * @internal The signer's core: synchronous where the HMAC is (node:crypto). Its callers check `signatureMethod`:
 * `createOAuthSigner`, and auth.ts before `oauthAuth` (so the chunk the client loads carries no second check).
 */
function signerCore(
  consumerKey: string,
  consumerSecret: string,
  signatureMethod: OAuthSignatureMethod,
): (method: string, url: string, fixed?: Fixed) => MaybePromise<Record<string, string>> {
  // No token in one-legged OAuth: the key is the secret and a bare `&`, not encoded (as WooCommerce does).
  const hmac = createHmac(`${consumerSecret}&`, signatureMethod === 'HMAC-SHA1' ? 'SHA-1' : 'SHA-256');
  // The parameter string of a URL without a query, around the nonce and the timestamp: what `parameterString` gives
  // for the four oauth_* parameters (sorted, each pair encoded twice), made once per client.
  const beforeNonce = `${leafPair('oauth_consumer_key', consumerKey)}%26oauth_nonce%3D`;
  const beforeTimestamp = `%26${leafPair('oauth_signature_method', signatureMethod)}%26oauth_timestamp%3D`;
  return (method, url, fixed) => {
    const nonce = fixed?.nonce ?? randomNonce();
    const timestamp = String(fixed?.timestamp ?? Math.floor(Date.now() / 1000));
    const oauth: Record<string, string> = {
      oauth_consumer_key: consumerKey,
      oauth_nonce: nonce,
      oauth_signature_method: signatureMethod,
      oauth_timestamp: timestamp,
    };
    const { head, search } = baseOf(method, url);
    const text = search
      ? head + parameterString(search, oauth)
      : // A nonce of ours and the timestamp are alphanumeric: encoding leaves them as they are.
        `${head}${beforeNonce}${fixed ? rfc3986(rfc3986(nonce)) : nonce}${beforeTimestamp}${fixed ? rfc3986(rfc3986(timestamp)) : timestamp}`;
    const mac = hmac(text);
    if (typeof mac === 'string') {
      oauth.oauth_signature = mac;
      return oauth;
    }
    return mac.then((m) => {
      oauth.oauth_signature = m;
      return oauth;
    });
  };
}

/** A signer bound to one key; the HMAC key is prepared once and reused. */
export function createOAuthSigner(
  consumerKey: string,
  consumerSecret: string,
  signatureMethod: OAuthSignatureMethod = 'HMAC-SHA256',
): OAuthSigner {
  if (signatureMethod !== 'HMAC-SHA256' && signatureMethod !== 'HMAC-SHA1') {
    throw new TypeError(
      `oauth.signatureMethod must be 'HMAC-SHA256' or 'HMAC-SHA1' (WooCommerce accepts no other); got ${String(signatureMethod)}`,
    );
  }
  const core = signerCore(consumerKey, consumerSecret, signatureMethod);
  return { signatureMethod, sign: async (method, url, fixed) => core(method, url, fixed) };
}

/** Append signed oauth_* parameters to a URL, RFC 3986 encoded (so PHP decodes `+` in the signature correctly). */
export function appendQuery(url: string, params: Record<string, string>): string {
  const hashAt = url.indexOf('#');
  let out = hashAt === -1 ? url : url.slice(0, hashAt);
  let sep = out.includes('?') ? '&' : '?';
  for (const k in params) {
    out += `${sep}${k}=${rfc3986(params[k]!)}`;
    sep = '&';
  }
  return out;
}

/** `Authorization: OAuth k="v", ...`, values RFC 3986 encoded (WooCommerce `urldecode`s each one). */
export function authorizationHeader(params: Record<string, string>): string {
  return `OAuth ${Object.entries(params)
    .map(([k, v]) => `${k}="${rfc3986(v)}"`)
    .join(', ')}`;
}

/** @internal An authenticated request: its URL, and the `Authorization` header to set (if any). */
export interface Signed {
  url: string;
  authorization?: string;
}

/**
 * @internal OAuth 1.0a for one client: signs a method and a URL that carries no credentials (the caller, auth.ts,
 * strips an earlier signature first, so that this chunk shares no module with the entry).
 */
export function oauthAuth(
  key: string,
  secret: string,
  signatureMethod: OAuthSignatureMethod,
  placement: 'query' | 'header',
): (method: string, url: string) => MaybePromise<Signed> {
  const core = signerCore(key, secret, signatureMethod);
  const done = (url: string, p: Record<string, string>): Signed =>
    placement === 'header' ? { url, authorization: authorizationHeader(p) } : { url: appendQuery(url, p) };
  return (method, url) => {
    const params = core(method, url);
    return params instanceof Promise ? params.then((p) => done(url, p)) : done(url, params);
  };
}
