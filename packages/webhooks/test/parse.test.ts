import { describe, expect, it } from 'vitest';
import { WEBHOOK_TOPICS } from '../src/index.js';
import { deliveryHeaders, ENGINES, hmac, PRODUCT_BODY, SECRET } from './helpers.js';

for (const [engine, api] of ENGINES) {
  describe(`parseWebhook (${engine})`, () => {
    it('returns a typed event with every header field', async () => {
      const event = await api.parseWebhook(
        { headers: deliveryHeaders(PRODUCT_BODY), rawBody: Buffer.from(PRODUCT_BODY) },
        { secret: SECRET },
      );
      expect(event).toEqual({
        kind: 'event',
        topic: 'product.created',
        resource: 'product',
        event: 'created',
        webhookId: 12,
        deliveryId: '8f3d1c5b2a7e4f6c9d0b1a2c3e4f5a6b',
        source: 'https://shop.example/',
        payload: { id: 794, name: 'Café', permalink: 'https://shop.example/p/', type: 'simple', sku: '' },
      });
    });

    it('reads Fetch Headers with WooCommerce casing and a charset parameter', async () => {
      const h = new Headers();
      for (const [k, v] of Object.entries(deliveryHeaders(PRODUCT_BODY)))
        h.set(
          k.replace(/(^|-)(\w)/g, (m) => m.toUpperCase()),
          v,
        );
      h.set('Content-Type', 'application/json; charset=UTF-8');
      const event = await api.parseWebhook({ headers: h, rawBody: PRODUCT_BODY }, { secret: SECRET });
      expect(event.kind).toBe('event');
    });

    it('takes the body as bytes, an ArrayBuffer, a DataView or a string alike', async () => {
      const bytes = new TextEncoder().encode(PRODUCT_BODY);
      const shifted = new Uint8Array(bytes.length + 3);
      shifted.set(bytes, 3);
      const views = [bytes, bytes.buffer, new DataView(shifted.buffer, 3), shifted.subarray(3), PRODUCT_BODY];
      for (const rawBody of views) {
        const event = await api.parseWebhook(
          { headers: deliveryHeaders(PRODUCT_BODY), rawBody },
          { secret: SECRET },
        );
        expect(event.kind).toBe('event');
      }
      await expect(api.verifyWebhookSignature(42 as never, 'x', SECRET)).rejects.toThrow(/rawBody must be/);
    });

    it('accepts any of several secrets during a rotation', async () => {
      const headers = deliveryHeaders(PRODUCT_BODY, 'product.created', 'new-secret');
      const event = await api.parseWebhook(
        { headers, rawBody: PRODUCT_BODY },
        { secret: ['old-secret', 'new-secret'] },
      );
      expect(event.kind).toBe('event');
    });

    it('verifies with the entity-encoded secret as the store holds it', async () => {
      const headers = deliveryHeaders(PRODUCT_BODY, 'product.created', `p&ss"w'rd`);
      const event = await api.parseWebhook(
        { headers, rawBody: PRODUCT_BODY },
        { secret: 'p&amp;ss&quot;w&#039;rd' },
      );
      expect(event.kind).toBe('event');
    });

    it('gives a deleted event its {id} payload', async () => {
      const body = '{"id":794}';
      const event = await api.parseWebhook(
        { headers: deliveryHeaders(body, 'product.deleted'), rawBody: body },
        { secret: SECRET },
      );
      expect(event).toMatchObject({
        kind: 'event',
        topic: 'product.deleted',
        event: 'deleted',
        payload: { id: 794 },
      });
    });

    it('parses an action.* topic with its {action, arg} body', async () => {
      const body = '{"action":"woocommerce_add_to_cart","arg":"3c59dc048e8850243be8079a5c74d079"}';
      const event = await api.parseWebhook(
        { headers: deliveryHeaders(body, 'action.woocommerce_add_to_cart'), rawBody: body },
        { secret: SECRET },
      );
      expect(event).toMatchObject({
        kind: 'event',
        topic: 'action.woocommerce_add_to_cart',
        resource: 'action',
        event: 'woocommerce_add_to_cart',
        payload: { action: 'woocommerce_add_to_cart', arg: '3c59dc048e8850243be8079a5c74d079' },
      });
    });

    it('routes a hook to its exact handler first, then to action.*', async () => {
      const seen: string[] = [];
      const handle = api.createWebhookProcessor({
        secret: SECRET,
        on: {
          'action.woocommerce_new_order': (e) => {
            seen.push(`exact:${e.payload.arg}`);
          },
          'action.*': (e) => {
            seen.push(`pattern:${e.event}`);
          },
        },
      });
      for (const hook of ['woocommerce_new_order', 'woocommerce_add_to_cart']) {
        const body = JSON.stringify({ action: hook, arg: 727 });
        const r = await handle({
          method: 'POST',
          headers: deliveryHeaders(body, `action.${hook}`),
          rawBody: body,
        });
        expect(r.status).toBe(200);
      }
      expect(seen).toEqual(['exact:727', 'pattern:woocommerce_add_to_cart']);
    });

    it('answers the ping 200 even when onPing throws, and reports the error', async () => {
      const errors: unknown[] = [];
      const handle = api.createWebhookProcessor({
        secret: SECRET,
        onPing: () => {
          throw new Error('logger down');
        },
        onError: (e) => errors.push(e),
      });
      const r = await handle({ method: 'POST', headers: {}, rawBody: 'webhook_id=9' });
      expect(r).toEqual({ status: 200, body: { ok: true, kind: 'ping', handled: true } });
      expect(errors).toHaveLength(1);
    });

    it('marks a signed topic the spec lacks as unknown, with its payload', async () => {
      const body = '{"id":5,"status":"active"}';
      const event = await api.parseWebhook(
        { headers: deliveryHeaders(body, 'subscription.renewed'), rawBody: body },
        { secret: SECRET },
      );
      expect(event).toMatchObject({
        kind: 'unknown',
        topic: 'subscription.renewed',
        resource: 'subscription',
        payload: { id: 5 },
      });
    });

    it('recognises the creation ping (unsigned, form-encoded)', async () => {
      const headers = {
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': 'WooCommerce/11.0.1 Hookshot (WordPress/7.1)',
      };
      expect(await api.parseWebhook({ headers, rawBody: 'webhook_id=12' }, { secret: SECRET })).toEqual({
        kind: 'ping',
        webhookId: 12,
      });
      // WordPress may send it with no content type at all.
      expect(await api.parseWebhook({ headers: {}, rawBody: 'webhook_id=7' }, { secret: SECRET })).toEqual({
        kind: 'ping',
        webhookId: 7,
      });
    });

    it('accepts a body exactly at the limit', async () => {
      const body = JSON.stringify({ id: 1, type: 'simple', sku: 'x'.repeat(100) });
      const event = await api.parseWebhook(
        { headers: deliveryHeaders(body), rawBody: body },
        { secret: SECRET, maxBodyBytes: Buffer.byteLength(body) },
      );
      expect(event.kind).toBe('event');
    });

    it('signWebhookBody matches node:crypto', async () => {
      expect(await api.signWebhookBody(PRODUCT_BODY, SECRET)).toBe(hmac(PRODUCT_BODY, SECRET));
    });
  });
}

describe('generated topic list', () => {
  it('lists the spec topics verbatim', () => {
    expect(WEBHOOK_TOPICS).toContain('product.created');
    expect(WEBHOOK_TOPICS).toContain('product.deleted');
    for (const t of WEBHOOK_TOPICS) expect(t).toMatch(/^[a-z_]+\.[a-z_]+$/);
  });
});
