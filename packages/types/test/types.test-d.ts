// Type tests for the generated types: they fail to compile (and so fail `vitest --typecheck`) when a spec edit
// changes what users rely on.
import { describe, expectTypeOf, it } from 'vitest';
import type {
  components,
  OperationId,
  Path,
  paths,
  Product,
  ProductInput,
  WebhookName,
  webhooks,
  WooError,
} from '../dist/index.js';

describe('@wooapi/types', () => {
  it('names every product path and operation', () => {
    expectTypeOf<'/products' | '/products/{id}' | '/products/batch'>().toMatchTypeOf<Path>();
    expectTypeOf<
      'listProducts' | 'getProduct' | 'createProduct' | 'updateProduct' | 'deleteProduct' | 'batchProducts'
    >().toMatchTypeOf<OperationId>();
    expectTypeOf<'product.created' | 'product.updated' | 'product.deleted' | 'product.restored'>().toMatchTypeOf<WebhookName>();
  });

  it('types the path parameter of /products/{id} as a number', () => {
    expectTypeOf<paths['/products/{id}']['get']['parameters']['path']['id']>().toEqualTypeOf<number>();
  });

  it('types the list filters with their enums', () => {
    type Query = NonNullable<paths['/products']['get']['parameters']['query']>;
    expectTypeOf<Query['per_page']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Query['order']>().toEqualTypeOf<'asc' | 'desc' | undefined>();
    expectTypeOf<Query['include']>().toEqualTypeOf<number[] | undefined>();
  });

  it('keeps money as decimal strings and dates nullable', () => {
    expectTypeOf<NonNullable<Product['price']>>().toEqualTypeOf<string>();
    expectTypeOf<NonNullable<Product['regular_price']>>().toEqualTypeOf<string>();
    expectTypeOf<Product['date_modified']>().toEqualTypeOf<string | null | undefined>();
  });

  it('drops read-only fields from the input alias', () => {
    expectTypeOf<ProductInput>().toHaveProperty('name');
    expectTypeOf<ProductInput['price']>().toEqualTypeOf<undefined>();
    const draft: ProductInput = { name: 'Mug', regular_price: '9.50' };
    // @ts-expect-error price is read-only: the store computes it from regular_price and sale_price
    const bad: ProductInput = { name: 'Mug', price: '9.50' };
    void draft;
    void bad;
  });

  it('types the webhook payloads from the webhooks section', () => {
    type Created = NonNullable<webhooks['product.created']['post']['requestBody']>['content']['application/json'];
    // The resource, or the store's error envelope when the resource is gone by the time the delivery is built.
    type Gone = components['schemas']['WebhookResourceGonePayload'];
    expectTypeOf<Exclude<Created, Gone>>().toHaveProperty('name');
    expectTypeOf<Gone>().toMatchTypeOf<Created>();
    type Deleted = NonNullable<webhooks['product.deleted']['post']['requestBody']>['content']['application/json'];
    expectTypeOf<Deleted>().toEqualTypeOf<components['schemas']['WebhookDeletedPayload']>();
  });

  it('types the error envelope', () => {
    expectTypeOf<WooError['code']>().toEqualTypeOf<string>();
    expectTypeOf<WooError['data']['status']>().toEqualTypeOf<number>();
  });
});
