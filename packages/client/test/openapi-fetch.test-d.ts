// The client declares its own middleware, headers, init and `raw` types (src/types.ts) so that its public declarations
// do not load openapi-fetch's. These checks hold them to openapi-fetch's: values pass both ways, and `raw` answers
// the same `data` and `error` types as an openapi-fetch client over the same paths.
import type { Product, paths, WooError } from '@wooapi/types';
import type { paths as legacyPaths } from '@wooapi/types/legacy-v2';
import createClient, {
  type HeadersOptions as FetchHeadersOptions,
  type Middleware as FetchMiddleware,
} from 'openapi-fetch';
import { describe, expectTypeOf, it } from 'vitest';
import { authMiddleware, createAuthenticator, createWooClient, retryMiddleware } from '../src/index.js';
import { createLegacyClient } from '../src/legacy-v2.js';
import type { HeadersOptions, Middleware, RawClient } from '../src/types.js';

const woo = createWooClient({ url: 'https://example.com', consumerKey: 'ck_x', consumerSecret: 'cs_x' });
const plain = createClient<paths>({ baseUrl: 'https://example.com/wp-json/wc/v3' });

describe('middleware and headers, against openapi-fetch', () => {
  it("accepts openapi-fetch's middleware everywhere the client takes middleware", () => {
    const logger: FetchMiddleware = {
      onRequest({ request, schemaPath, options }) {
        expectTypeOf(schemaPath).toBeString();
        expectTypeOf(options.baseUrl).toBeString();
        return request;
      },
    };
    const onError: FetchMiddleware = { onError: ({ error }) => (error instanceof Error ? error : undefined) };
    createWooClient({ url: 'https://example.com', middleware: [logger, onError] });
    woo.use(logger, onError);
    woo.eject(logger);
    woo.raw.use(logger);
    woo.raw.eject(onError);
    expectTypeOf<FetchMiddleware>().toExtend<Middleware>();
  });

  it("gives middleware openapi-fetch's clients accept", () => {
    plain.use(retryMiddleware({ retry: { maxAttempts: 2 } }));
    plain.use(authMiddleware(createAuthenticator({ baseUrl: new URL('https://example.com/wp-json/wc/v3') })));
    const ours: Middleware = { onResponse: ({ response }) => response };
    plain.use(ours);
    expectTypeOf<Middleware>().toExtend<FetchMiddleware>();
    // The hooks see what openapi-fetch's see.
    const inspect: Middleware = {
      onRequest({ request, params, id, options }) {
        expectTypeOf(request).toEqualTypeOf<Request>();
        expectTypeOf(params.path).toEqualTypeOf<Record<string, unknown> | undefined>();
        expectTypeOf(id).toBeString();
        expectTypeOf(options.querySerializer).returns.toBeString();
      },
    };
    plain.use(inspect);
    // @ts-expect-error: a middleware has at least one hook
    const none: Middleware = {};
    void none;
  });

  it('types headers as openapi-fetch does', () => {
    expectTypeOf<HeadersOptions>().toEqualTypeOf<FetchHeadersOptions>();
    createWooClient({ url: 'https://example.com', headers: { 'user-agent': 'shop/1', 'x-drop': null } });
    createWooClient({ url: 'https://example.com', headers: new Headers() });
    // @ts-expect-error: a header value is a string, number, boolean, list of them, or null/undefined
    createWooClient({ url: 'https://example.com', headers: { 'x-bad': { nested: true } } });
  });
});

describe('raw, against an openapi-fetch client over the same paths', () => {
  it('types data from the 2xx responses and error from the others', async () => {
    const ours = await woo.raw.GET('/products/{id}', { params: { path: { id: 794 } } });
    const theirs = await plain.GET('/products/{id}', { params: { path: { id: 794 } } });
    expectTypeOf(ours.data).toEqualTypeOf<Product | undefined>();
    expectTypeOf(ours.data).toEqualTypeOf(theirs.data);
    expectTypeOf(ours.error).toEqualTypeOf(theirs.error);
    // The JSON error body, or the HTML page a host sends for a 429.
    expectTypeOf(ours.error).toEqualTypeOf<WooError | string | undefined>();
    expectTypeOf(ours.response).toEqualTypeOf<Response>();
    // One or the other: with data, no error.
    if (ours.data) expectTypeOf(ours.error).toEqualTypeOf<undefined>();

    const list = await woo.raw.GET('/products', { params: { query: { per_page: 5 } } });
    expectTypeOf(list.data).toEqualTypeOf<Product[] | undefined>();
    const created = await woo.raw.POST('/products', { body: { name: 'Hoodie' } });
    const createdThere = await plain.POST('/products', { body: { name: 'Hoodie' } });
    expectTypeOf(created.data).toEqualTypeOf(createdThere.data);
    const removed = await woo.raw.DELETE('/products/{id}', {
      params: { path: { id: 1 }, query: { force: true } },
    });
    const removedThere = await plain.DELETE('/products/{id}', {
      params: { path: { id: 1 }, query: { force: true } },
    });
    expectTypeOf(removed.data).toEqualTypeOf(removedThere.data);
    expectTypeOf(removed.error).toEqualTypeOf(removedThere.error);
    const viaRequest = await woo.raw.request('get', '/products/{id}', { params: { path: { id: 1 } } });
    expectTypeOf(viaRequest.data).toEqualTypeOf<Product | undefined>();
  });

  it('reads the body as parseAs says', async () => {
    const text = await woo.raw.GET('/products/{id}', { params: { path: { id: 1 } }, parseAs: 'text' });
    expectTypeOf(text.data).toEqualTypeOf<string | undefined>();
    const blob = await woo.raw.GET('/products/{id}', { params: { path: { id: 1 } }, parseAs: 'blob' });
    expectTypeOf(blob.data).toEqualTypeOf<Blob | undefined>();
    const stream = await woo.raw.GET('/products', { parseAs: 'stream' });
    const streamThere = await plain.GET('/products', { parseAs: 'stream' });
    expectTypeOf(stream.data).toEqualTypeOf(streamThere.data);
  });

  it('takes per-request options, and what openapi-fetch takes', () => {
    woo.raw.GET('/products', { retry: false, timeout: 5_000, signal: AbortSignal.timeout(1_000) });
    woo.raw.GET('/products', { querySerializer: { array: { style: 'form', explode: false } } });
    woo.raw.GET('/products', { headers: { 'x-trace': '1' }, cache: 'no-store' });
    // openapi-fetch lets a call carry keys of its own (middleware reads them off the Request); so does raw.
    woo.raw.GET('/products/{id}', { params: { path: { id: 1 } }, traceId: 'abc' });
    plain.GET('/products/{id}', { params: { path: { id: 1 } }, traceId: 'abc' });
  });

  it('rejects a wrong path, a missing or wrong path parameter, a read-only field', () => {
    // @ts-expect-error: no such path
    woo.raw.GET('/product/{id}', { params: { path: { id: 1 } } });
    // @ts-expect-error: the path parameter is required
    woo.raw.GET('/products/{id}');
    // @ts-expect-error: the path parameter is required
    woo.raw.GET('/products/{id}', { params: {} });
    // @ts-expect-error: `id` is a number
    woo.raw.GET('/products/{id}', { params: { path: { id: 'one' } } });
    // @ts-expect-error: /products/{id} has no POST
    woo.raw.POST('/products/{id}', { params: { path: { id: 1 } } });
    // @ts-expect-error: `price` is read-only
    woo.raw.POST('/products', { body: { name: 'Hoodie', price: '1.00' } });
    // @ts-expect-error: creating a product takes a body
    woo.raw.POST('/products');
    // @ts-expect-error: include is an array of IDs
    woo.raw.GET('/products', { params: { query: { include: '1,2' } } });
  });

  it('is the client type of its own, over any paths', () => {
    expectTypeOf(woo.raw).toEqualTypeOf<RawClient<paths>>();
  });
});

describe('the legacy client, against an openapi-fetch client over the legacy paths', () => {
  it('answers the same data and error types', async () => {
    const legacy = createLegacyClient({
      url: 'https://shop.example',
      consumerKey: 'ck_x',
      consumerSecret: 'cs_x',
    });
    const there = createClient<legacyPaths>({ baseUrl: 'https://shop.example/wc-api/v2' });
    const ours = await legacy.GET('/orders', { params: { query: { filter: { limit: 5 } } } });
    const theirs = await there.GET('/orders', { params: { query: { filter: { limit: 5 } } } });
    expectTypeOf(ours.data).toEqualTypeOf(theirs.data);
    expectTypeOf(ours.error).toEqualTypeOf(theirs.error);
    const one = await legacy.PUT('/products/{id}', {
      params: { path: { id: 1 } },
      body: { product: { title: 'Mug' } },
    });
    const oneThere = await there.PUT('/products/{id}', {
      params: { path: { id: 1 } },
      body: { product: { title: 'Mug' } },
    });
    expectTypeOf(one.data).toEqualTypeOf(oneThere.data);
    expectTypeOf(one.error).toEqualTypeOf(oneThere.error);
  });
});
