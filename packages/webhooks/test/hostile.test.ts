import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WebhookError, type WebhookErrorCode } from '../src/index.js';
import type { WebhookRequest } from '../src/parse.js';
import { deliveryHeaders, ENGINES, hmac, PRODUCT_BODY, SECRET } from './helpers.js';

const body = PRODUCT_BODY;
const good = deliveryHeaders(body);
const sig = good['x-wc-webhook-signature'] as string;
const req = (rawBody: string | Uint8Array, headers: WebhookRequest['headers']) => ({ rawBody, headers });
const without = (name: string, h: Record<string, string> = good) =>
  Object.fromEntries(Object.entries(h).filter(([k]) => k !== name));
const withSig = (s: string, b: string | Uint8Array = body) => ({
  ...deliveryHeaders(b),
  'x-wc-webhook-signature': s,
});
const signed = (b: string | Uint8Array, extra: Record<string, string> = {}) =>
  deliveryHeaders(b, 'product.created', SECRET, extra);

// A body whose signature holds `+` or `/`, so its base64url spelling differs from its base64 one.
let urlBody = body;
for (let i = 0; !/[+/]/.test(hmac(urlBody, SECRET)); i++) urlBody = JSON.stringify({ id: 794, n: i });
const urlSig = hmac(urlBody, SECRET);
const base64url = urlSig.replace(/\+/g, '-').replace(/\//g, '_');
// The same 32 bytes with nonzero padding bits in the last character: decodes alike, is not canonical.
const lastIdx = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.indexOf(sig[42] as string);
const nonCanonical = `${sig.slice(0, 42)}${'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'[lastIdx + 1]}=`;
const big = (n: number) => JSON.stringify({ id: 1, pad: 'x'.repeat(n) });
const pingBody = 'webhook_id=12';
const pingForm = {
  'content-type': 'application/x-www-form-urlencoded',
  'user-agent': 'WooCommerce/11.0.1 Hookshot (WordPress/7.1)',
};

// Signed bodies of other topics, sent under a topic whose shape they do not have (the topic headers are not signed).
const as = (b: string, topic: string) => req(b, deliveryHeaders(b, topic));
const ORDER = JSON.stringify({ id: 727, status: 'processing', order_key: 'wc_order_58d2', line_items: [] });
const COUPON = JSON.stringify({ id: 719, code: '10off', discount_type: 'percent', amount: '10.00' });
const CUSTOMER = JSON.stringify({ id: 25, email: 'john@example.com', username: 'john', role: 'customer' });
const GONE = JSON.stringify({
  code: 'wc_user_invalid_id',
  message: 'Invalid user ID.',
  data: { status: 404 },
});
const CART = JSON.stringify({ action: 'woocommerce_add_to_cart', arg: '3c59dc048e8850243be8079a5c74d079' });

type Case = [
  name: string,
  request: WebhookRequest,
  code: WebhookErrorCode,
  options?: { maxBodyBytes?: number; secret?: string | string[] },
];
const cases: Case[] = [
  // Body tampering: the signature no longer matches.
  ['tampered body (one character)', req(body.replace('Caf', 'Cbf'), good), 'invalid_signature'],
  ['tampered body (id changed)', req(body.replace('794', '795'), good), 'invalid_signature'],
  ['truncated body (last byte)', req(body.slice(0, -1), good), 'invalid_signature'],
  ['truncated body (half)', req(body.slice(0, body.length / 2), good), 'invalid_signature'],
  ['empty body', req('', good), 'invalid_signature'],
  ['trailing newline appended', req(`${body}\n`, good), 'invalid_signature'],
  ['leading space', req(` ${body}`, good), 'invalid_signature'],
  [
    're-serialized JSON (slashes unescaped)',
    req(JSON.stringify(JSON.parse(body)), good),
    'invalid_signature',
  ],
  ['NUL byte appended', req(`${body}\0`, good), 'invalid_signature'],
  ['UTF-8 BOM prepended', req(`\ufeff${body}`, good), 'invalid_signature'],
  [
    'body re-encoded as Latin-1',
    req(Buffer.from(JSON.parse(`"${'Caf\\u00e9'}"`), 'latin1'), withSig(hmac('Café', SECRET))),
    'invalid_signature',
  ],
  ['valid signature of another body', req(body, withSig(hmac('{"id":1}', SECRET))), 'invalid_signature'],
  // Wrong keys.
  ['wrong secret', req(body, withSig(hmac(body, 'another-secret'))), 'invalid_signature'],
  ['secret in another case', req(body, withSig(hmac(body, SECRET.toUpperCase()))), 'invalid_signature'],
  [
    'signed with the entity-encoded secret undecoded',
    req(body, withSig(hmac(body, 'a&amp;b'))),
    'invalid_signature',
    { secret: 'a&amp;b' },
  ],
  ['signed with an empty secret', req(body, withSig(hmac(body, ''))), 'invalid_signature'],
  ['wrong secrets only, during a rotation', req(body, good), 'invalid_signature', { secret: ['old', 'new'] }],
  [
    'plain SHA-256 of body + secret',
    req(
      body,
      withSig(
        createHash('sha256')
          .update(body + SECRET)
          .digest('base64'),
      ),
    ),
    'invalid_signature',
  ],
  [
    'HMAC-SHA1',
    req(body, withSig(createHmac('sha1', SECRET).update(body).digest('base64'))),
    'invalid_signature',
  ],
  [
    'HMAC-SHA512 (wrong length)',
    req(body, withSig(createHmac('sha512', SECRET).update(body).digest('base64'))),
    'invalid_signature',
  ],
  // Malformed signatures.
  ['missing signature', req(body, without('x-wc-webhook-signature')), 'missing_signature'],
  ['empty signature', req(body, withSig('')), 'missing_signature'],
  ['signature without padding (43 chars)', req(body, withSig(sig.slice(0, 43))), 'invalid_signature'],
  ['signature truncated to 40 chars', req(body, withSig(sig.slice(0, 40))), 'invalid_signature'],
  ['signature with an extra character', req(body, withSig(`${sig}A`)), 'invalid_signature'],
  ['signature doubled', req(body, withSig(sig + sig)), 'invalid_signature'],
  [
    'hex instead of base64',
    req(body, withSig(createHmac('sha256', SECRET).update(body).digest('hex'))),
    'invalid_signature',
  ],
  ['base64url instead of base64', req(urlBody, withSig(base64url, urlBody)), 'invalid_signature'],
  [
    'base64url without padding',
    req(urlBody, withSig(base64url.replace(/=+$/, ''), urlBody)),
    'invalid_signature',
  ],
  ['non-canonical base64 of the right MAC', req(body, withSig(nonCanonical)), 'invalid_signature'],
  ['signature with surrounding spaces', req(body, withSig(` ${sig} `)), 'invalid_signature'],
  ['"sha256=" prefix', req(body, withSig(`sha256=${sig}`)), 'invalid_signature'],
  ['all-zero MAC', req(body, withSig(`${'A'.repeat(43)}=`)), 'invalid_signature'],
  [
    'signature header sent twice (valid + forged)',
    req(body, { ...good, 'x-wc-webhook-signature': [sig, 'forged'] } as never),
    'malformed_header',
  ],
  [
    'signature header sent twice (both valid)',
    req(body, { ...good, 'x-wc-webhook-signature': [sig, sig] } as never),
    'malformed_header',
  ],
  [
    'signature headers merged by Headers ("a, b")',
    req(body, new Headers({ ...good, 'x-wc-webhook-signature': `${sig}, ${sig}` })),
    'malformed_header',
  ],
  // Pings that are not clean pings.
  [
    'ping with a forged signature',
    req(pingBody, { ...pingForm, 'x-wc-webhook-signature': sig }),
    'invalid_signature',
  ],
  [
    'ping body with a topic header',
    req(pingBody, { ...pingForm, 'x-wc-webhook-topic': 'product.created' }),
    'missing_signature',
  ],
  [
    'ping body with a webhook id header',
    req(pingBody, { ...pingForm, 'x-wc-webhook-id': '12' }),
    'missing_signature',
  ],
  ['ping body sent as JSON', req(pingBody, { 'content-type': 'application/json' }), 'missing_signature'],
  ['ping with an extra field', req(`${pingBody}&admin=1`, pingForm), 'missing_signature'],
  ['ping with webhook_id=0', req('webhook_id=0', pingForm), 'missing_signature'],
  ['ping with a non-numeric id', req('webhook_id=abc', pingForm), 'missing_signature'],
  [
    'ping as a JSON object',
    req('{"webhook_id":12}', { 'content-type': 'application/json' }),
    'missing_signature',
  ],
  ['unsigned JSON event', req(body, { 'content-type': 'application/json' }), 'missing_signature'],
  // Size.
  [
    'oversized body, validly signed',
    req(big(2000), signed(big(2000))),
    'body_too_large',
    { maxBodyBytes: 1024 },
  ],
  ['oversized body, forged signature', req(big(2000), good), 'body_too_large', { maxBodyBytes: 1024 }],
  ['body over the 1 MiB default', req(big(1024 * 1024), signed(big(1024 * 1024))), 'body_too_large'],
  [
    'oversized unsigned ping-like body',
    req(`webhook_id=${'1'.repeat(2000)}`, pingForm),
    'body_too_large',
    { maxBodyBytes: 1024 },
  ],
  // Content types.
  [
    'validly signed text/plain',
    req(body, { ...good, 'content-type': 'text/plain' }),
    'unsupported_content_type',
  ],
  ['validly signed, no content type', req(body, without('content-type')), 'unsupported_content_type'],
  [
    'validly signed form-encoded',
    req(body, { ...good, 'content-type': 'application/x-www-form-urlencoded' }),
    'unsupported_content_type',
  ],
  [
    'validly signed application/json-patch+json',
    req(body, { ...good, 'content-type': 'application/json-patch+json' }),
    'unsupported_content_type',
  ],
  // Headers the signature does not cover, but that must still make sense.
  ['missing topic', req(body, without('x-wc-webhook-topic')), 'missing_header'],
  ['missing resource', req(body, without('x-wc-webhook-resource')), 'missing_header'],
  ['missing event', req(body, without('x-wc-webhook-event')), 'missing_header'],
  ['missing webhook id', req(body, without('x-wc-webhook-id')), 'missing_header'],
  ['missing delivery id', req(body, without('x-wc-webhook-delivery-id')), 'missing_header'],
  ['missing source', req(body, without('x-wc-webhook-source')), 'missing_header'],
  [
    'topic and resource disagree',
    req(body, { ...good, 'x-wc-webhook-resource': 'order' }),
    'malformed_header',
  ],
  ['topic and event disagree', req(body, { ...good, 'x-wc-webhook-event': 'deleted' }), 'malformed_header'],
  [
    'topic over 200 characters',
    req(body, {
      ...good,
      'x-wc-webhook-topic': `product.${'x'.repeat(200)}`,
      'x-wc-webhook-event': 'x'.repeat(200),
    }),
    'malformed_header',
  ],
  ['topic without a dot', req(body, { ...good, 'x-wc-webhook-topic': 'product' }), 'malformed_header'],
  [
    'topics merged by a proxy',
    req(body, { ...good, 'x-wc-webhook-topic': 'product.created, product.created' }),
    'malformed_header',
  ],
  [
    'topic header sent twice',
    req(body, { ...good, 'x-wc-webhook-topic': ['product.created', 'order.created'] } as never),
    'malformed_header',
  ],
  ['webhook id not an integer', req(body, { ...good, 'x-wc-webhook-id': '12abc' }), 'malformed_header'],
  ['webhook id zero', req(body, { ...good, 'x-wc-webhook-id': '0' }), 'malformed_header'],
  ['webhook id negative', req(body, { ...good, 'x-wc-webhook-id': '-12' }), 'malformed_header'],
  [
    'delivery ids merged ("a, b")',
    req(body, { ...good, 'x-wc-webhook-delivery-id': 'abc, def' }),
    'malformed_header',
  ],
  ['source not a URL', req(body, { ...good, 'x-wc-webhook-source': 'not a url' }), 'malformed_header'],
  // Signed, but not a JSON object.
  ['validly signed invalid JSON', req('{"id":794,', signed('{"id":794,')), 'invalid_json'],
  [
    'validly signed invalid UTF-8',
    req(new Uint8Array([0x7b, 0xff, 0x7d]), signed(new Uint8Array([0x7b, 0xff, 0x7d]))),
    'invalid_json',
  ],
  ['validly signed JSON array', req('[1,2]', signed('[1,2]')), 'invalid_payload'],
  // Signed, but not the shape of the topic it came under.
  ['order.updated body replayed as order.deleted', as(ORDER, 'order.deleted'), 'payload_mismatch'],
  ['product body replayed as product.deleted', as(body, 'product.deleted'), 'payload_mismatch'],
  ['{id} of a deletion replayed as order.updated', as('{"id":727}', 'order.updated'), 'payload_mismatch'],
  [
    '{id} of a deletion replayed as product.restored',
    as('{"id":794}', 'product.restored'),
    'payload_mismatch',
  ],
  ['deleted body with an id of 0', as('{"id":0}', 'order.deleted'), 'payload_mismatch'],
  ['deleted body with a string id', as('{"id":"727"}', 'order.deleted'), 'payload_mismatch'],
  [
    'deleted body with more than the id',
    as('{"id":719,"code":"10off"}', 'coupon.deleted'),
    'payload_mismatch',
  ],
  ['store error replayed as customer.deleted', as(GONE, 'customer.deleted'), 'payload_mismatch'],
  ['an order replayed as product.updated', as(ORDER, 'product.updated'), 'payload_mismatch'],
  ['a product replayed as coupon.created', as(body, 'coupon.created'), 'payload_mismatch'],
  ['a coupon replayed as customer.updated', as(COUPON, 'customer.updated'), 'payload_mismatch'],
  ['a customer replayed as order.created', as(CUSTOMER, 'order.created'), 'payload_mismatch'],
  ['an empty object as product.created', as('{}', 'product.created'), 'payload_mismatch'],
  [
    'an error lookalike that has an id',
    as('{"id":1,"code":"x","message":"y","data":{}}', 'order.created'),
    'payload_mismatch',
  ],
  [
    'an action body replayed under another hook',
    as(CART, 'action.woocommerce_order_status_completed'),
    'payload_mismatch',
  ],
  [
    'an action body without arg',
    as('{"action":"woocommerce_add_to_cart"}', 'action.woocommerce_add_to_cart'),
    'payload_mismatch',
  ],
  ['a resource replayed as an action', as(ORDER, 'action.woocommerce_new_order'), 'payload_mismatch'],
  ['validly signed null', req('null', signed('null')), 'invalid_payload'],
];

describe(`hostile deliveries (${cases.length} cases, none accepted)`, () => {
  it('has at least 50 distinct cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
    expect(new Set(cases.map((c) => c[0])).size).toBe(cases.length);
  });

  for (const [engine, api] of ENGINES) {
    describe(engine, () => {
      it.each(cases)('%s', async (_name, request, code, options) => {
        const secret = options?.secret ?? SECRET;
        const error = await api.parseWebhook(request, { secret, maxBodyBytes: options?.maxBodyBytes }).then(
          (event) => new Error(`accepted as ${JSON.stringify(event).slice(0, 80)}`),
          (err: unknown) => err,
        );
        expect(error).toBeInstanceOf(WebhookError);
        expect((error as WebhookError).code).toBe(code);
        // Errors never carry the secret or the signature.
        expect((error as Error).message).not.toContain(SECRET);
        expect((error as Error).message).not.toContain(sig);
      });

      it('verifyWebhookSignature is false for non-string signatures', async () => {
        for (const s of [undefined, null, 42, {}, [sig]] as never[]) {
          expect(await api.verifyWebhookSignature(body, s, SECRET)).toBe(false);
        }
      });

      it('refuses to run without a usable secret', async () => {
        for (const s of ['', [], [''], undefined, 42] as never[]) {
          await expect(api.verifyWebhookSignature(body, sig, s)).rejects.toThrow(TypeError);
        }
      });
    });
  }
});
