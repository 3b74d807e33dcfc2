// Type tests for @wooapi/types/legacy-v2: what users of the legacy API rely on, as WooCommerce 11 really sends it.
import { describe, expectTypeOf, it } from 'vitest';
import type {
  ErrorEnvelope,
  OperationId,
  Order,
  OrderLineItem,
  OrderNote,
  Path,
  Product,
  ProductInput,
  paths,
  WebhookName,
  webhooks,
} from '../dist/legacy-v2.js';

describe('@wooapi/types/legacy-v2', () => {
  it('names the v2 routes, operations and topics', () => {
    expectTypeOf<
      '/' | '/products' | '/products/{id}' | '/products/bulk' | '/orders/{order_id}/notes/{id}'
    >().toMatchTypeOf<Path>();
    expectTypeOf<
      'getIndex' | 'listProducts' | 'getProductBySku' | 'batchOrders' | 'getOrderCount'
    >().toMatchTypeOf<OperationId>();
    expectTypeOf<'order.created' | 'product.updated' | 'ping'>().toMatchTypeOf<WebhookName>();
    // wc/v3 names do not leak into the legacy types.
    expectTypeOf<'/products/batch'>().not.toMatchTypeOf<Path>();
  });

  it('types filters as the filter[...] deepObject', () => {
    type Query = NonNullable<paths['/products']['get']['parameters']['query']>;
    type Filter = NonNullable<Query['filter']>;
    expectTypeOf<Filter['limit']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Filter['order']>().toEqualTypeOf<'ASC' | 'DESC' | undefined>();
    expectTypeOf<Query['page']>().toEqualTypeOf<number | undefined>();
    // @ts-expect-error per_page is wc/v3's; v2 pages with filter[limit]
    type _NoPerPage = Query['per_page'];
  });

  it('wraps bodies in the envelope named after the resource', () => {
    type Ok = paths['/products/{id}']['get']['responses']['200']['content']['application/json'];
    expectTypeOf<Ok['product']>().toMatchTypeOf<object>();
    type List = paths['/orders']['get']['responses']['200']['content']['application/json'];
    expectTypeOf<List['orders']>().toBeArray();
  });

  it('types what the store really sends, not the docs', () => {
    expectTypeOf<Order['order_number']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<OrderNote['id']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Product['sale_price']>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<Product['featured_src']>().toEqualTypeOf<string | boolean | undefined>();
    // A variation's attributes are line item meta; the documented `variations` is write-only.
    expectTypeOf<NonNullable<OrderLineItem['meta']>[number]['key']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<OrderLineItem>().not.toHaveProperty('variations');
  });

  it('keeps read-only fields out of request bodies and write-only fields out of answers', () => {
    expectTypeOf<ProductInput['price']>().toEqualTypeOf<undefined>();
    expectTypeOf<ProductInput>().toHaveProperty('sale_price_dates_from');
    expectTypeOf<Product>().not.toHaveProperty('sale_price_dates_from');
    const draft: ProductInput = { title: 'Mug', regular_price: '9.50' };
    // @ts-expect-error price is read-only: the store computes it from regular_price and sale_price
    const bad: ProductInput = { title: 'Mug', price: '9.50' };
    void draft;
    void bad;
  });

  it('types the errors envelope', () => {
    expectTypeOf<ErrorEnvelope['errors'][number]['code']>().toEqualTypeOf<string>();
    type NotFound = paths['/products/{id}']['get']['responses']['404']['content']['application/json'];
    expectTypeOf<NotFound>().toEqualTypeOf<ErrorEnvelope>();
  });

  it('types the legacy webhook payloads: the resource in its envelope, the id for deletes, a WP_Error under HPOS', () => {
    type Updated = NonNullable<webhooks['product.updated']['post']['requestBody']>['content']['application/json'];
    expectTypeOf<Updated>().toHaveProperty('product');
    type Deleted = NonNullable<webhooks['order.deleted']['post']['requestBody']>['content']['application/json'];
    expectTypeOf<Deleted['id']>().toEqualTypeOf<number>();
    type OrderCreated = NonNullable<webhooks['order.created']['post']['requestBody']>['content']['application/json'];
    expectTypeOf<{ order: Order }>().toMatchTypeOf<OrderCreated>();
    expectTypeOf<{ errors: { woocommerce_api_invalid_order: string[] } }>().toMatchTypeOf<OrderCreated>();
  });
});
