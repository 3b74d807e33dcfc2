// Expected outcomes that need Node APIs (node:crypto), shared by check.mjs and the workerd driver
// (scripts/workerd.mjs): the OAuth vectors of the independent signer, the `oauth-1.0a` package, and the recorded
// requests.
import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { KEY, OAUTH_CASES, OAUTH_NONCE, OAUTH_TIMESTAMP, SECRET } from './fixtures.mjs';

/** The `oauth-1.0a` package's signature, on node:crypto (as the client's test/oauth.test.ts computes it). */
function oracle(method, httpMethod, url) {
  const algo = method === 'HMAC-SHA1' ? 'sha1' : 'sha256';
  const o = new OAuth({
    consumer: { key: KEY, secret: SECRET },
    signature_method: method,
    hash_function: (base, key) => createHmac(algo, key).update(base).digest('base64'),
  });
  const params = {
    oauth_consumer_key: KEY,
    oauth_nonce: OAUTH_NONCE,
    oauth_signature_method: method,
    oauth_timestamp: OAUTH_TIMESTAMP,
  };
  return o.getSignature({ url, method: httpMethod, data: {} }, '', params);
}

/** What `oauthVectors` (cases.mjs) must give: oauth-1.0a's signatures, and the store-accepted recorded requests. */
export const vectorsExpected = (examples) => ({
  signatures: ['HMAC-SHA256', 'HMAC-SHA1'].flatMap((m) => OAUTH_CASES.map(([hm, u]) => oracle(m, hm, u))),
  recorded: examples.map((e) => ({
    name: e.name,
    signature: e.signature,
    wire: e.authorization_header ?? e.url,
  })),
});

/** A made-up `product.deleted` delivery signed with node:crypto: checked even without ../shared. */
export function syntheticDelivery() {
  const body = '{"id":5}';
  return {
    n: 'synthetic',
    is_ping: false,
    topic: 'product.deleted',
    webhook_id: 1,
    secret: 'synthetic-secret',
    body_base64: Buffer.from(body).toString('base64'),
    parsed_body: { id: 5 },
    headers: {
      'content-type': 'application/json',
      'x-wc-webhook-source': 'http://store.test/',
      'x-wc-webhook-topic': 'product.deleted',
      'x-wc-webhook-resource': 'product',
      'x-wc-webhook-event': 'deleted',
      'x-wc-webhook-id': '1',
      'x-wc-webhook-delivery-id': '0123456789abcdef0123456789abcdef',
      'x-wc-webhook-signature': createHmac('sha256', 'synthetic-secret').update(body).digest('base64'),
    },
  };
}
