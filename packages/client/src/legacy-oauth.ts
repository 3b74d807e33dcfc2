/**
 * OAuth 1.0a one-legged signing for the legacy API (`/wc-api/v2`), computed as the WooCommerce Legacy REST API
 * plugin recomputes it on WooCommerce 11 (`WC_API_Authentication::check_oauth_signature`), which differs from both
 * RFC 5849 and the v2 docs (the recorded auth variants in ../shared/reference/recorded-legacy-v2 prove each point):
 *
 * 1. the base URL is the request URL with `/wc-api/v3/` in place of `/wc-api/v2/`: the plugin builds it from
 *    `get_woocommerce_api_url()`, which WooCommerce 11 hard-codes to `wc-api/v3`;
 * 2. the parameters are the query string as PHP parses it, `filter[key]` flattened to one key, plus the `oauth_*`
 *    parameters without `oauth_signature`; each key and value is `rawurlencode(rawurldecode(x))` with `%` doubled;
 * 3. sorted by key (`strcmp`), each pair joined with `%3D`, the pairs with `%26`;
 * 4. `METHOD&rawurlencode(base URL)&pairs`, where METHOD is the `_method` override when the query has one;
 * 5. HMAC-SHA256 or HMAC-SHA1 keyed with the **bare consumer secret** (no `&`), base64.
 *
 * A leaf: imports nothing of ours. WebCrypto only.
 */

export type LegacySignatureMethod = 'HMAC-SHA256' | 'HMAC-SHA1';

/** PHP `rawurlencode`: RFC 3986, everything but `A-Z a-z 0-9 - _ . ~`. */
function rawurlencode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** PHP `rawurldecode`: `%XX` only (a `+` stays), malformed escapes kept as they are. */
function rawurldecode(value: string): string {
  return value.replace(/(%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run.replace(/%[0-9a-fA-F]{2}/g, (m) => {
        try {
          return decodeURIComponent(m);
        } catch {
          return m;
        }
      });
    }
  });
}

/** How PHP fills `$_GET` from one query component: `+` is a space, then percent-decoding. */
const phpUrlDecode = (value: string) => rawurldecode(value.replace(/\+/g, ' '));

/** Step 2 of the docs, as the plugin does it: `rawurlencode(rawurldecode(x))` with `%` doubled. */
const normalize = (value: string) => rawurlencode(rawurldecode(value)).replace(/%/g, '%25');

/** The query parameters as the plugin sees them: PHP-decoded, `filter[key]` kept as one flat key. */
export function legacyQueryParameters(search: string): Map<string, string> {
  const out = new Map<string, string>();
  const query = search.startsWith('?') ? search.slice(1) : search;
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = phpUrlDecode(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : phpUrlDecode(part.slice(eq + 1));
    out.set(key, value);
  }
  return out;
}

/** The base URL the plugin signs: the request's origin and path, `/wc-api/v2` replaced by `/wc-api/v3`. */
export function legacyBaseUrl(url: string | URL): string {
  const u = new URL(url);
  const at = u.pathname.indexOf('/wc-api/v2');
  if (at === -1)
    throw new TypeError(`not a legacy API URL (no /wc-api/v2 in its path): ${u.origin}${u.pathname}`);
  return `${u.origin}${u.pathname.slice(0, at)}/wc-api/v3${u.pathname.slice(at + '/wc-api/v2'.length)}`;
}

/** The signature base string for a request URL (its query included) and the `oauth_*` parameters to add. */
export function legacySignatureBaseString(
  method: string,
  url: string | URL,
  oauth: Record<string, string>,
): string {
  const u = new URL(url);
  const params = legacyQueryParameters(u.search);
  for (const [k, v] of Object.entries(oauth)) params.set(k, v);
  params.delete('oauth_signature');
  const override = params.get('_method');
  const pairs = [...params].map(([k, v]) => [normalize(k), normalize(v)] as const);
  // strcmp on the normalised keys: byte order, which UTF-16 order equals for these ASCII keys.
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const query = pairs.map(([k, v]) => `${k}%3D${v}`).join('%26');
  return `${(override ?? method).toUpperCase()}&${rawurlencode(legacyBaseUrl(u))}&${query}`;
}

const NONCE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function nonce(): string {
  const bytes = new Uint8Array(32);
  globalThis.crypto.getRandomValues(bytes);
  let out = '';
  for (const b of bytes) out += NONCE_CHARS[b % 62];
  return out;
}

function toBase64(bytes: ArrayBuffer): string {
  let bin = '';
  for (const b of new Uint8Array(bytes)) bin += String.fromCharCode(b);
  return btoa(bin);
}

export interface LegacyOAuthSigner {
  readonly signatureMethod: LegacySignatureMethod;
  /** The `oauth_*` parameters, `oauth_signature` included, for one request to `url` (its query included). */
  sign(
    method: string,
    url: string | URL,
    fixed?: { nonce?: string; timestamp?: string | number },
  ): Promise<Record<string, string>>;
}

/** A signer bound to one key; the HMAC key (the bare consumer secret) is imported once. */
export function createLegacyOAuthSigner(
  consumerKey: string,
  consumerSecret: string,
  signatureMethod: LegacySignatureMethod = 'HMAC-SHA256',
): LegacyOAuthSigner {
  if (signatureMethod !== 'HMAC-SHA256' && signatureMethod !== 'HMAC-SHA1') {
    throw new TypeError(
      `signatureMethod must be 'HMAC-SHA256' or 'HMAC-SHA1' (the legacy API refuses any other as "signature method is invalid"); got ${String(signatureMethod)}`,
    );
  }
  if (
    typeof consumerKey !== 'string' ||
    !consumerKey ||
    typeof consumerSecret !== 'string' ||
    !consumerSecret
  )
    throw new TypeError('legacy OAuth signing needs a consumer key and secret (ck_..., cs_...)');
  const hash = signatureMethod === 'HMAC-SHA1' ? 'SHA-1' : 'SHA-256';
  let key: Promise<CryptoKey> | undefined;
  return {
    signatureMethod,
    async sign(method, url, fixed) {
      const oauth: Record<string, string> = {
        oauth_consumer_key: consumerKey,
        oauth_nonce: fixed?.nonce ?? nonce(),
        oauth_signature_method: signatureMethod,
        oauth_timestamp: String(fixed?.timestamp ?? Math.floor(Date.now() / 1000)),
      };
      const base = legacySignatureBaseString(method, url, oauth);
      key ??= globalThis.crypto.subtle.importKey(
        'raw',
        new TextEncoder().encode(consumerSecret),
        { name: 'HMAC', hash },
        false,
        ['sign'],
      );
      oauth.oauth_signature = toBase64(
        await globalThis.crypto.subtle.sign('HMAC', await key, new TextEncoder().encode(base)),
      );
      return oauth;
    },
  };
}

/** `url` with the signed `oauth_*` parameters appended, percent-encoded (PHP would turn a raw `+` into a space). */
export function withLegacyOAuth(url: string, oauth: Record<string, string>): string {
  const pairs = Object.entries(oauth).map(([k, v]) => `${k}=${rawurlencode(v)}`);
  return `${url}${url.includes('?') ? '&' : '?'}${pairs.join('&')}`;
}
