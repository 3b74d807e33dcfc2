// What the loopback store (store.mjs) holds and what the cases (cases.mjs) expect of it: one list, imported by both,
// so an expectation is never a copy of an output.

/** The REST API keys the store accepts (Basic and OAuth 1.0a). Made up for these checks. */
export const KEY = 'ck_2b7e151628aed2a6abf7158809cf4f3c762e7160';
export const SECRET = 'cs_3ad77bb40d7a3660a89ecaf32466ef97f5d3d585';

/** A product list of this many items, paged like WordPress (`page`, `per_page`, X-WP-Total, Link). */
export const LIST_TOTAL = 9;
export const PER_PAGE = 2;

/** Product ids, each answered in one way (see store.mjs). */
export const ID = {
  ok: 794,
  missing: 999,
  html: 500,
  declared: 601,
  chunked: 602,
  gzip: 603,
  gzipBomb: 604,
  stall: 605,
  away: 606,
  same: 607,
  flaky: 608,
  stallBody: 609,
  truncated: 610,
};
export const PRODUCT = { id: ID.ok, name: 'Hoodie', sku: 'woo-hoodie', price: '45.00' };
export const GZIPPED = { id: ID.gzip, name: 'Gzipped \u00e9 \u2713', description: 'x'.repeat(300) };
/** WooCommerce's own answer for a product id that does not exist. */
export const NOT_FOUND = {
  code: 'woocommerce_rest_product_invalid_id',
  message: 'Invalid ID.',
  data: { status: 404 },
};
/** WooCommerce's answer to a bad OAuth signature (WC_REST_Authentication). */
export const BAD_SIGNATURE = {
  code: 'woocommerce_rest_authentication_error',
  message: 'Invalid signature - provided signature does not match.',
  data: { status: 401 },
};
export const HTML_PAGE =
  '<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>';

/** The size caps of the cap cases, and how much the store sends past them. */
export const CAP = 16 * 1024;
export const DECLARED_BYTES = 5 * CAP;
/** The chunked body: up to this many chunks of CHUNK bytes, or until the client hangs up. */
export const CHUNK = 4096;
export const MAX_CHUNKS = 256;
/** The gzip bomb: a JSON string this long inflated, a few kB on the wire. */
export const BOMB_BYTES = 4 * 1024 * 1024;
/** The timeout case's per-attempt timeout (ms), and the most it may take to give up. */
export const TIMEOUT_MS = 300;
export const TIMEOUT_SLACK_MS = 5000;

/**
 * The OAuth cases of packages/client/test/oauth.test.ts (`CASES`): signed by the client and by the `oauth-1.0a`
 * package with the same nonce and timestamp, under both methods. A copy, not an import: the check runs staged, as a
 * standalone copy of check/ beside the packages as published, with nothing of the workspace to import.
 */
export const OAUTH_CASES = [
  ['GET', 'http://store.test/wp-json/wc/v3/products'],
  ['GET', 'http://store.test/wp-json/wc/v3/products?page=2&per_page=100'],
  ['GET', 'http://store.test/wp-json/wc/v3/products?include=1%2C2%2C3&search=blue%20shirt&orderby=date'],
  ['GET', 'http://store.test/wp-json/wc/v3/products?search=%21%2A%27%28%29%20%26%3D%2B%25~&sku=caf%C3%A9'],
  ['DELETE', 'http://store.test:8080/shop/wp-json/wc/v3/products/794?force=true'],
  ['PUT', 'http://store.test/wp-json/wc/v3/products/794'],
  ['POST', 'http://store.test/wp-json/wc/v3/products/batch?context=edit'],
];
export const OAUTH_NONCE = 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgm';
export const OAUTH_TIMESTAMP = 1_700_000_000;
