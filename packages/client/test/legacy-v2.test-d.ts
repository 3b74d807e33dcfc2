// Compile-time checks of createLegacyClient: paths, filters, envelopes and errors come from @wooapi/types/legacy-v2.
import type { ErrorEnvelope, Order, Product } from '@wooapi/types/legacy-v2';
import { describe, expectTypeOf, it } from 'vitest';
import { createLegacyClient } from '../src/legacy-v2.js';

const legacy = createLegacyClient({
  url: 'https://shop.example',
  consumerKey: 'ck_x',
  consumerSecret: 'cs_x',
});

describe('createLegacyClient types', () => {
  it('types answers in their envelopes and errors as the errors envelope', async () => {
    const { data, error } = await legacy.GET('/products/{id}', { params: { path: { id: 12 } } });
    expectTypeOf(data?.product).toEqualTypeOf<Product | undefined>();
    // The envelope, or what the host and PHP answer instead (an HTML 429, a WordPress fatal error, a JSONP list).
    expectTypeOf<ErrorEnvelope>().toMatchTypeOf<NonNullable<typeof error>>();
    expectTypeOf<string>().toMatchTypeOf<NonNullable<typeof error>>();
    const list = await legacy.GET('/orders', {
      params: { query: { filter: { limit: 5 }, status: 'completed' } },
    });
    expectTypeOf(list.data?.orders).toEqualTypeOf<Order[] | undefined>();
  });

  it('refuses wc/v3 paths, parameters and read-only fields', () => {
    // @ts-expect-error /products/batch is wc/v3's; v2 has /products/bulk
    void legacy.POST('/products/batch', { body: { products: [] } });
    // @ts-expect-error per_page is wc/v3's; v2 pages with filter[limit]
    void legacy.GET('/products', { params: { query: { per_page: 5 } } });
    // @ts-expect-error the path parameter is required
    void legacy.GET('/products/{id}', { params: { path: {} } });
    // @ts-expect-error price is read-only
    void legacy.POST('/products', { body: { product: { title: 'Mug', price: '9.50' } } });
    void legacy.POST('/products', { body: { product: { title: 'Mug', regular_price: '9.50' } } });
  });
});
