// What each topic's body may be: the shapes a store really sends are accepted (the refusals are in hostile.test.ts
// and, against real deliveries, in recorded.test.ts).
import { describe, expect, it } from 'vitest';
import { isStoreErrorPayload } from '../src/index.js';
import { checkShape } from '../src/shape.js';
import { deliveryHeaders, ENGINES } from './helpers.js';

const accepted: Array<[topic: string, body: unknown]> = [
  ['order.created', { id: 727, status: 'pending', order_key: 'wc_order_1', line_items: [] }],
  ['order.restored', { id: 727, status: 'pending', order_key: 'wc_order_1', line_items: [{ id: 1 }] }],
  ['product.updated', { id: 25, type: 'variation', sku: 'HOOD-BL', parent_id: 23 }],
  ['product.published', { id: 30, type: 'simple', sku: '' }],
  ['customer.updated', { id: 3, email: 'alice@example.com', username: 'alice' }],
  ['coupon.restored', { id: 60, code: 'summer10', discount_type: 'percent' }],
  ['coupon.deleted', { id: 21 }],
  ['order.deleted', { id: 9_007_199_254_740_991 }],
  // The resource was gone when the queued delivery ran: the store sends the REST error it got.
  ['customer.created', { code: 'wc_user_invalid_id', message: 'Invalid user ID.', data: { status: 404 } }],
  [
    'product.restored',
    { code: 'woocommerce_rest_product_invalid_id', message: 'Invalid ID.', data: { status: 404 } },
  ],
  ['action.woocommerce_order_status_completed', { action: 'woocommerce_order_status_completed', arg: 58 }],
  ['action.deleted', { action: 'deleted', arg: null }],
];

for (const [engine, api] of ENGINES) {
  describe(`the shapes a store sends are accepted (${engine})`, () => {
    it.each(accepted)('%s', async (topic, payload) => {
      const body = JSON.stringify(payload);
      const event = await api.parseWebhook(
        { headers: deliveryHeaders(body, topic), rawBody: body },
        { secret: 'wc-test-secret-&-<key>' },
      );
      expect(event).toMatchObject({ kind: 'event', topic, payload });
    });
  });
}

describe('checkShape', () => {
  it('takes anything but a bare {id} for a resource it has no markers for (a topic added to your spec)', () => {
    expect(() =>
      checkShape('booking.created', 'booking', 'created', { id: 5, status: 'paid' }),
    ).not.toThrow();
    expect(() => checkShape('booking.created', 'booking', 'created', { id: 5 })).toThrow(/booking\.created/);
    expect(() => checkShape('booking.deleted', 'booking', 'deleted', { id: 5, status: 'paid' })).toThrow(
      /\{ id \} only/,
    );
  });

  it('says what was expected and why it refused', () => {
    expect(() =>
      checkShape('order.deleted', 'order', 'deleted', { id: 1, order_key: 'k', line_items: [] }),
    ).toThrow(/not have the shape of order\.deleted \(\{ id \} only.*not covered by the signature.*replayed/);
    expect(() => checkShape('order.updated', 'order', 'updated', { id: 1 })).toThrow(
      /an order with id, order_key and line_items, or the store's \{ code, message, data \} error/,
    );
  });

  it('names the fix for a webhook set to the Legacy REST API (its resource wrapped, its errors serialised)', () => {
    const legacy = /Legacy REST API's shape.*API version to WP REST API Integration v3/;
    expect(() =>
      checkShape('product.updated', 'product', 'updated', { product: { id: 1, title: 'x', type: 'simple' } }),
    ).toThrow(legacy);
    const wpError = { errors: { woocommerce_api_invalid_order: ['Invalid order'] }, error_data: {} };
    expect(() => checkShape('order.created', 'order', 'created', wpError)).toThrow(legacy);
    // A legacy deletion is still {id}: nothing to tell apart.
    expect(() => checkShape('order.deleted', 'order', 'deleted', { id: 3 })).not.toThrow();
  });

  it('isStoreErrorPayload tells the store error from a resource', () => {
    expect(isStoreErrorPayload({ code: 'x', message: 'y', data: { status: 404 } })).toBe(true);
    expect(isStoreErrorPayload({ id: 1, code: '10off', discount_type: 'percent' })).toBe(false);
    expect(isStoreErrorPayload(null)).toBe(false);
    expect(isStoreErrorPayload([{ code: 'x', message: 'y', data: 1 }])).toBe(false);
  });
});
