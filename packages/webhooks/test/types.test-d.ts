import type { Order, Product, WebhookActionPayload, WebhookResourceGonePayload } from '@wooapi/types';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  ActionEvent,
  OrderDeletedEvent,
  OrderEvent,
  ParsedWebhook,
  ProductCreatedEvent,
  ProductDeletedEvent,
  ProductEvent,
  WebhookEvent,
  WebhookEventMap,
  WebhookHandlers,
  WebhookTopic,
} from '../src/index.js';

declare const parsed: ParsedWebhook;

describe('event types', () => {
  it('narrows the payload by topic', () => {
    if (parsed.kind === 'event' && parsed.topic === 'product.created') {
      expectTypeOf(parsed).toEqualTypeOf<ProductCreatedEvent>();
      // The product, or the store's error envelope when the product was gone before the delivery was built.
      expectTypeOf(parsed.payload).toEqualTypeOf<Product | WebhookResourceGonePayload>();
      if (!('code' in parsed.payload)) expectTypeOf(parsed.payload.id).toEqualTypeOf<number | undefined>();
    }
  });

  it("gives a deleted event's payload {id} only", () => {
    if (parsed.kind === 'event' && parsed.topic === 'product.deleted') {
      expectTypeOf(parsed.payload).toEqualTypeOf<{ id: number }>();
      // @ts-expect-error a deleted product has no name in its webhook body
      parsed.payload.name;
    }
  });

  it('narrows orders and action topics too', () => {
    if (parsed.kind === 'event' && parsed.topic === 'order.updated') {
      expectTypeOf(parsed.payload).toEqualTypeOf<Order | WebhookResourceGonePayload>();
      expectTypeOf(parsed).toMatchTypeOf<OrderEvent>();
    }
    if (parsed.kind === 'event' && parsed.topic === 'order.deleted') {
      expectTypeOf(parsed).toEqualTypeOf<OrderDeletedEvent>();
      expectTypeOf(parsed.payload).toEqualTypeOf<{ id: number }>();
    }
    if (parsed.kind === 'event' && parsed.topic === 'action.woocommerce_add_to_cart') {
      expectTypeOf(parsed).toEqualTypeOf<ActionEvent>();
      expectTypeOf(parsed.payload).toEqualTypeOf<WebhookActionPayload>();
    }
  });

  it('discriminates the ping and unknown topics by kind', () => {
    if (parsed.kind === 'ping') {
      expectTypeOf(parsed.webhookId).toEqualTypeOf<number>();
      // @ts-expect-error a ping has no payload
      parsed.payload;
    }
    if (parsed.kind === 'unknown') expectTypeOf(parsed.payload).toEqualTypeOf<unknown>();
  });

  it('builds per-resource unions and the topic map', () => {
    expectTypeOf<ProductDeletedEvent>().toMatchTypeOf<ProductEvent>();
    expectTypeOf<ProductEvent>().toMatchTypeOf<WebhookEvent>();
    expectTypeOf<WebhookEventMap['product.deleted']>().toEqualTypeOf<ProductDeletedEvent>();
    expectTypeOf<'product.created'>().toMatchTypeOf<WebhookTopic>();
    expectTypeOf<ProductCreatedEvent['resource']>().toEqualTypeOf<'product'>();
    expectTypeOf<ProductCreatedEvent['event']>().toEqualTypeOf<'created'>();
  });

  it('types each handler of the on map by its topic', () => {
    const on: WebhookHandlers = {
      'product.created': (e) => expectTypeOf(e.payload).toEqualTypeOf<Product | WebhookResourceGonePayload>(),
      'product.deleted': (e) => expectTypeOf(e.payload.id).toEqualTypeOf<number>(),
      'action.*': (e) => expectTypeOf(e).toEqualTypeOf<ActionEvent>(),
      'action.woocommerce_new_order': (e) => expectTypeOf(e.resource).toEqualTypeOf<'action'>(),
    };
    expectTypeOf(on).not.toBeAny();
    // @ts-expect-error not a topic of the spec
    const bad: WebhookHandlers = { 'product.exploded': () => {} };
    void bad;
  });
});
