import type { BatchItemError, Product, paths } from '@wooapi/types';
import { describe, expectTypeOf, it } from 'vitest';
import type { OkBody, PathsWith } from '../src/client.js';
import {
  batch,
  createWooClient,
  type ItemOf,
  type ListPath,
  listAll,
  paginate,
  type WooResult,
} from '../src/index.js';

const woo = createWooClient({ url: 'https://example.com', consumerKey: 'ck_x', consumerSecret: 'cs_x' });

describe('typed calls', () => {
  it('types responses from the spec', async () => {
    const one = await woo.GET('/products/{id}', { params: { path: { id: 794 } } });
    expectTypeOf(one).toEqualTypeOf<WooResult<Product>>();
    expectTypeOf(one.data.id).toEqualTypeOf<number | undefined>();
    const list = await woo.GET('/products', { params: { query: { per_page: 20, include: [1, 2] } } });
    expectTypeOf(list.data).toEqualTypeOf<Product[]>();
    const created = await woo.POST('/products', { body: { name: 'Hoodie', regular_price: '45.00' } });
    expectTypeOf(created.data.name).toEqualTypeOf<string | undefined>();
  });

  it('rejects a wrong path or path parameter', () => {
    // @ts-expect-error: the parameter is `id`, not `product_id`
    woo.GET('/products/{id}', { params: { path: { product_id: 1 } } });
    // @ts-expect-error: `id` is a number
    woo.GET('/products/{id}', { params: { path: { id: 'one' } } });
    // @ts-expect-error: the path parameter is required
    woo.GET('/products/{id}');
    // @ts-expect-error: no such path
    woo.GET('/product/{id}', { params: { path: { id: 1 } } });
  });

  // The spec keeps Product `id` and `date_created` writable on purpose (batch updates name items by `id`;
  // WooCommerce lets a product be backdated), so the read-only fields tested are ones the spec marks readOnly.
  it('rejects read-only fields in a create body', () => {
    // @ts-expect-error: `date_modified` is read-only
    woo.POST('/products', { body: { name: 'Hoodie', date_modified: '2026-01-01T00:00:00' } });
    // @ts-expect-error: `price` is read-only (send `regular_price`)
    woo.POST('/products', { body: { name: 'Hoodie', price: '45.00' } });
    // @ts-expect-error: `permalink` is read-only
    woo.PUT('/products/{id}', { params: { path: { id: 1 } }, body: { permalink: 'https://x' } });
    // @ts-expect-error: an order's `date_created` is read-only
    woo.POST('/orders', { body: { status: 'pending', date_created: '2026-01-01T00:00:00' } });
    // Without the read-only fields the same calls compile: the errors above are about those fields alone.
    woo.POST('/products', { body: { name: 'Hoodie' } });
    woo.PUT('/products/{id}', { params: { path: { id: 1 } }, body: { name: 'x' } });
    woo.POST('/orders', { body: { status: 'pending' } });
    batch(woo, '/products/batch', { create: [{ name: 'A' }] });
    // The same fields are present, typed, in responses.
    expectTypeOf<Product['price']>().toEqualTypeOf<string | undefined>();
  });

  it('rejects a query parameter of the wrong type', () => {
    // @ts-expect-error: include is an array of IDs
    woo.GET('/products', { params: { query: { include: '1,2' } } });
  });

  it('pages exactly the paths whose GET answers a JSON array', () => {
    // ListPath tests one structural shape per path (a 200 whose JSON is an array); the same set as reading every
    // 2xx body of every GET, which it replaced because that cost each paging call ~6,000 type instantiations.
    type ByBody = {
      [P in PathsWith<paths, 'get'>]: paths[P] extends { get: infer Op }
        ? NonNullable<OkBody<Op>> extends readonly unknown[]
          ? P
          : never
        : never;
    }[PathsWith<paths, 'get'>];
    expectTypeOf<ListPath>().toEqualTypeOf<ByBody>();
    expectTypeOf<'/products' | '/orders' | '/customers'>().toExtend<ListPath>();
    expectTypeOf<'/products/{id}'>().not.toExtend<ListPath>();
  });

  it('types paging and batching from the path', async () => {
    expectTypeOf<ItemOf<import('@wooapi/types').paths, '/products'>>().toEqualTypeOf<Product>();
    for await (const p of paginate(woo, '/products', { params: { query: { status: 'publish' } } })) {
      expectTypeOf(p).toEqualTypeOf<Product>();
    }
    expectTypeOf(await listAll(woo, '/products')).toEqualTypeOf<Product[]>();
    // @ts-expect-error: a single-object path is not a list
    paginate(woo, '/products/{id}');
    const r = await batch(woo, '/products/batch', { create: [{ name: 'A' }], delete: [3] });
    expectTypeOf(r.create[0]!).toExtend<Product | BatchItemError>();
    // @ts-expect-error: not a batch path
    batch(woo, '/products', { create: [] });
    // @ts-expect-error: read-only `price` in a batch create
    batch(woo, '/products/batch', { create: [{ name: 'A', price: '1.00' }] });
  });
});
