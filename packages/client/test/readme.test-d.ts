// The README's snippets, compiled: if one stops type-checking, the README is wrong.
import type { Order, Product } from '@wooapi/types';
import { describe, expectTypeOf, it } from 'vitest';
import {
  batch,
  createWooClient,
  isBatchItemError,
  isWooCommerceError,
  listAll,
  pages,
  paginate,
  WooBatchError,
  WooTimeoutError,
} from '../src/index.js';

declare const newProducts: { name: string }[];
declare const changes: { id: number; name: string }[];
declare const order: { status: 'pending' };
declare function recheck(index: number): void;

describe('README snippets', () => {
  it('compile', async () => {
    const woo = createWooClient({
      url: 'https://example.com',
      consumerKey: 'ck_x',
      consumerSecret: 'cs_x',
      timeout: 10_000,
      retry: { maxAttempts: 5 },
    });
    createWooClient({
      url: 'http://legacy.example',
      consumerKey: 'ck_x',
      consumerSecret: 'cs_x',
      auth: 'oauth1',
      oauth: { signatureMethod: 'HMAC-SHA1', placement: 'header' },
    });
    createWooClient({
      url: 'https://example.com',
      auth: { type: 'application-password', username: 'ann', password: 'abcd EFGH' },
    });
    const { data: product } = await woo.GET('/products/{id}', { params: { path: { id: 794 } } });
    expectTypeOf(product).toEqualTypeOf<Product>();
    await woo.POST('/products', { body: { name: 'Hoodie', regular_price: '45.00' } });
    try {
      await woo.GET('/products/{id}', { params: { path: { id: 1 } } });
    } catch (e) {
      if (isWooCommerceError(e, 'woocommerce_rest_product_invalid_id'))
        expectTypeOf(e.status).toEqualTypeOf<number>();
      else if (e instanceof WooTimeoutError) expectTypeOf(e.code).toEqualTypeOf<'wooapi_timeout'>();
    }
    for await (const o of paginate(woo, '/orders', { params: { query: { status: ['processing'] } } }))
      expectTypeOf(o).toEqualTypeOf<Order>();
    for await (const page of pages(woo, '/products'))
      expectTypeOf(page.totalPages).toEqualTypeOf<number | undefined>();
    expectTypeOf(await listAll(woo, '/products', undefined, { concurrency: 8 })).toEqualTypeOf<Product[]>();
    const result = await batch(woo, '/products/batch', {
      create: newProducts,
      update: changes,
      delete: [12, 13],
    });
    for (const slot of result.create)
      if (!isBatchItemError(slot)) expectTypeOf(slot.id).toEqualTypeOf<number>();
    for (const f of result.errors) expectTypeOf(f.error.code).toBeString();
    try {
      await batch(woo, '/products/batch', { update: changes });
    } catch (e) {
      if (e instanceof WooBatchError) for (const it of e.items) if (it.state === 'unknown') recheck(it.index);
    }
    await woo.GET('/products', { signal: AbortSignal.timeout(2_000) });
    await woo.POST('/orders', { body: order, retry: { methods: ['POST'] } });
    await woo.GET('/reports/sales', { retry: false, timeout: 60_000 });
  });
});
