import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import OAuth from 'oauth-1.0a';
import { describe, expect, it } from 'vitest';
import {
  createOAuthSigner,
  normalizedParameters,
  parsePhpQuery,
  rfc3986,
  signatureBaseString,
} from '../src/oauth.js';
import { KEY, SECRET } from './helpers/errors.js';

const here = dirname(fileURLToPath(import.meta.url));
const shared = resolve(here, '../../../../shared');
const seed = resolve(shared, 'seeds/004_a528c5fec76e3267.txt');

/** The independent implementation: oauth-1.0a with Node's HMAC, fed the same nonce and timestamp. */
function oracle(method: 'HMAC-SHA1' | 'HMAC-SHA256') {
  const algo = method === 'HMAC-SHA1' ? 'sha1' : 'sha256';
  return new OAuth({
    consumer: { key: KEY, secret: SECRET },
    signature_method: method,
    hash_function: (base, key) => createHmac(algo, key).update(base).digest('base64'),
  });
}

function oracleSign(
  method: 'HMAC-SHA1' | 'HMAC-SHA256',
  httpMethod: string,
  url: string,
  nonce: string,
  ts: number,
) {
  const o = oracle(method);
  const params = {
    oauth_consumer_key: KEY,
    oauth_nonce: nonce,
    oauth_signature_method: method,
    oauth_timestamp: ts,
  } as unknown as OAuth.Data;
  return {
    base: o.getBaseString({ url, method: httpMethod, data: {} }, params),
    signature: o.getSignature({ url, method: httpMethod, data: {} }, '', params),
  };
}

const CASES: [string, string][] = [
  ['GET', 'http://store.test/wp-json/wc/v3/products'],
  ['GET', 'http://store.test/wp-json/wc/v3/products?page=2&per_page=100'],
  // Comma lists (how the client sends include/exclude/status), spaces, reserved and non-ASCII characters.
  ['GET', 'http://store.test/wp-json/wc/v3/products?include=1%2C2%2C3&search=blue%20shirt&orderby=date'],
  ['GET', 'http://store.test/wp-json/wc/v3/products?search=%21%2A%27%28%29%20%26%3D%2B%25~&sku=caf%C3%A9'],
  ['DELETE', 'http://store.test:8080/shop/wp-json/wc/v3/products/794?force=true'],
  ['PUT', 'http://store.test/wp-json/wc/v3/products/794'],
  ['POST', 'http://store.test/wp-json/wc/v3/products/batch?context=edit'],
];

describe('OAuth 1.0a signature against the oauth-1.0a package', () => {
  for (const method of ['HMAC-SHA256', 'HMAC-SHA1'] as const) {
    for (const [httpMethod, url] of CASES) {
      it(`${method} ${httpMethod} ${url.replace('http://store.test', '')}`, async () => {
        const nonce = 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgm';
        const ts = 1_700_000_000;
        const ours = await createOAuthSigner(KEY, SECRET, method).sign(httpMethod, url, {
          nonce,
          timestamp: ts,
        });
        const theirs = oracleSign(method, httpMethod, url, nonce, ts);
        expect(
          signatureBaseString(httpMethod, url, {
            oauth_consumer_key: KEY,
            oauth_nonce: nonce,
            oauth_signature_method: method,
            oauth_timestamp: String(ts),
          }),
        ).toBe(theirs.base);
        expect(ours.oauth_signature).toBe(theirs.signature);
        expect(ours.oauth_signature_method).toBe(method);
      });
    }
  }

  it('uses a fresh 32-character alphanumeric nonce and the current timestamp by default', async () => {
    const signer = createOAuthSigner(KEY, SECRET);
    const a = await signer.sign('GET', 'http://store.test/wp-json/wc/v3/products');
    const b = await signer.sign('GET', 'http://store.test/wp-json/wc/v3/products');
    expect(a.oauth_nonce).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(a.oauth_nonce).not.toBe(b.oauth_nonce);
    expect(Math.abs(Number(a.oauth_timestamp) - Date.now() / 1000)).toBeLessThan(60);
  });

  it('refuses a signature method WooCommerce does not accept', () => {
    expect(() => createOAuthSigner(KEY, SECRET, 'PLAINTEXT' as never)).toThrow(/HMAC-SHA256' or 'HMAC-SHA1/);
  });
});

describe('the base URL of a signature is the one URL parsing gives', () => {
  // The signer splits URLs of its own making (the store's origin, a plain path and query) with string operations;
  // any other URL must come out as `new URL` reads it (which is what fetch sends): dot segments resolved, characters
  // percent-encoded, the host lower-cased, the default port and the fragment dropped.
  const P = {
    oauth_consumer_key: KEY,
    oauth_nonce: 'n0nce',
    oauth_signature_method: 'HMAC-SHA256',
    oauth_timestamp: '1',
  };
  const byUrl = (method: string, url: string) => {
    const u = new URL(url);
    const params = parsePhpQuery(u.search);
    for (const [k, v] of Object.entries(P)) params.set(k, v);
    return `${method}&${rfc3986(`${u.origin}${u.pathname}`)}&${normalizedParameters(params)}`;
  };
  const URLS = [
    'http://store.test/wp-json/wc/v3/products/794',
    'http://store.test/wp-json/wc/v3/products?page=2&per_page=100',
    'http://store.test/wp-json/wc/v3/products/./794',
    'http://store.test/wp-json/wc/v3/products/../orders',
    'http://store.test/wp-json/wc/v3/products/%2E%2E/orders',
    'http://store.test/wp-json/wc/v3/products/.%2e/orders',
    'http://store.test/wp-json/wc/v3/products/..',
    'http://store.test/wp-json/wc/v3/products/blue shirt',
    'http://store.test/wp-json/wc/v3/products/caf\u00e9',
    "http://store.test/wp-json/wc/v3/products?search=it's",
    'http://store.test/wp-json/wc/v3/products?search=a b&x="y"',
    'http://store.test/wp-json/wc/v3/products?search=<b>',
    'http://store.test/wp-json/wc/v3/products?',
    'http://store.test/wp-json/wc/v3/products#top',
    'http://store.test/wp-json/wc/v3/products?page=2#top',
    'http://store.test/wp-json\\wc/v3/products',
    'http://store.test/wp-json/wc/v3/products/%7e%41',
    'http://STORE.test/wp-json/wc/v3/products',
    'http://store.test:80/wp-json/wc/v3/products',
    'http://store.test:8080/wp-json/wc/v3/products',
    'http://store.test:8080/wp-json/wc/v3/products/../x',
    'http://store.test.example/wp-json/wc/v3/products',
    'http://store.test@example.com/wp-json/wc/v3/products',
    'http://store.test/wp-json/wc/v3/products?path=/./x&y=%2E',
  ];
  it('for plain URLs and for every kind of URL that parsing changes', () => {
    for (const url of URLS) {
      // Twice each: the first call may be the one that learns the origin, the second takes the string path.
      for (let i = 0; i < 2; i++) {
        signatureBaseString('GET', 'http://store.test/wp-json/wc/v3/', P);
        expect(signatureBaseString('get', url, P), url).toBe(byUrl('GET', url));
      }
    }
  });
});

describe('parameter normalization as WC_REST_Authentication does it', () => {
  it('encodes per RFC 3986 (rawurlencode), unlike encodeURIComponent', () => {
    expect(rfc3986("!*'() ~")).toBe('%21%2A%27%28%29%20~');
  });

  it('parses the query like PHP: + is a space, brackets nest, [] appends', () => {
    const p = parsePhpQuery('?a=1+2&b[]=x&b[]=y&filter[q]=z&c.d=1');
    expect(p.get('a')).toBe('1 2');
    expect([...(p.get('b') as Map<string, string>).entries()]).toEqual([
      ['0', 'x'],
      ['1', 'y'],
    ]);
    expect((p.get('filter') as Map<string, string>).get('q')).toBe('z');
    expect(p.get('c_d')).toBe('1');
  });

  it('signs exploded array keys as key%5B0%5D, with the percent signs encoded again (the server view)', () => {
    // Hand-derived from join_with_equals_sign: 'include%5B0%5D=1' then rawurlencode of the whole pair.
    expect(normalizedParameters(parsePhpQuery('include[]=1&include[]=2'))).toBe(
      'include%255B0%255D%3D1%26include%255B1%255D%3D2',
    );
    // A comma list is a plain value: its comma is encoded twice, as for any parameter.
    expect(normalizedParameters(parsePhpQuery('include=1,2'))).toBe('include%3D1%252C2');
  });

  it('sorts top-level keys in byte order and keeps nested order', () => {
    expect(normalizedParameters(parsePhpQuery('b=1&B=2&a[z]=1&a[y]=2'))).toBe(
      'B%3D2%26a%255Bz%255D%3D1%26a%255By%255D%3D2%26b%3D1',
    );
  });
});

describe.skipIf(!existsSync(seed))('the legacy docs seed example', () => {
  it('produces the documented signature base string', () => {
    const text = readFileSync(seed, 'utf8');
    const documented = text.split('\n').find((l) => l.startsWith('GET&http%3A%2F%2Fwww.example.com'));
    expect(documented).toBeDefined();
    expect(
      signatureBaseString('GET', 'http://www.example.com/wc-api/v1/orders', {
        oauth_consumer_key: 'abc123',
        oauth_signature_method: 'HMAC-SHA1',
      }),
    ).toBe(documented!.trim());
  });
});
if (!existsSync(seed)) console.warn('skipped: ../shared not found (legacy docs seed example)');
