import { type MockServer, startMock } from '@wooapi/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWooClient, listAll, WooApiError, WooPagingError } from '../src/index.js';
import { caught, KEY, SECRET } from './helpers/errors.js';

/** Typed calls against the real Prism mock serving the bundled spec under /wp-json/wc/v3. */
describe('against the Prism mock', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMock({});
  }, 90_000);
  afterAll(() => mock?.stop());

  // Prism checks that credentials are present, not that they are right; OAuth over http, as a real http store wants.
  const woo = () => createWooClient({ url: mock.url, consumerKey: KEY, consumerSecret: SECRET });
  const basic = () =>
    createWooClient({
      url: mock.url,
      consumerKey: KEY,
      consumerSecret: SECRET,
      auth: 'basic',
      allowInsecureLoopback: true,
    });

  it('lists products (with array filters serialized as WordPress parses them)', async () => {
    const { data, response } = await woo().GET('/products', {
      params: { query: { per_page: 10, include: [794, 795], orderby: 'date' } },
    });
    expect(response.status).toBe(200);
    expect(Array.isArray(data)).toBe(true);
    expect(data.length).toBeGreaterThan(0);
    expect(typeof data[0]!.id).toBe('number');
    expect(Number(response.headers.get('x-wp-total'))).toBeGreaterThanOrEqual(data.length);
  });

  it('gets one product', async () => {
    const { data } = await basic().GET('/products/{id}', { params: { path: { id: 794 } } });
    expect(typeof data.id).toBe('number');
    expect(typeof data.name).toBe('string');
  });

  it('creates a product', async () => {
    const { data, response } = await woo().POST('/products', {
      body: { name: 'Premium Quality', type: 'simple', regular_price: '21.99' },
    });
    expect(response.status).toBe(201);
    expect(typeof data.id).toBe('number');
  });

  it('deletes a product', async () => {
    const { data, response } = await woo().DELETE('/products/{id}', {
      params: { path: { id: 794 }, query: { force: true } },
    });
    expect(response.status).toBe(200);
    expect(typeof data.id).toBe('number');
  });

  it('pages through a list with listAll, and refuses a mock that repeats its page', async () => {
    // A static mock answers its one example page for every `page`; a mock that follows `page` serves distinct
    // pages. The client must page through the second and refuse the first (it would duplicate items).
    const page = async (n: number) =>
      (await basic().GET('/products', { params: { query: { per_page: 10, page: n } } })).data.map(
        (p) => p.id,
      );
    const [one, two] = [await page(1), await page(2)];
    if (JSON.stringify(one) === JSON.stringify(two) && one.length > 0) {
      const err = await caught(listAll(woo(), '/products', undefined, { perPage: 10 }));
      expect(err).toBeInstanceOf(WooPagingError);
      expect((err as Error).message).toMatch(/page 2 holds the same items as page 1/);
    } else {
      const all = await listAll(woo(), '/products', undefined, { perPage: 10 });
      expect(all.slice(0, one.length + two.length).map((p) => p.id)).toEqual([...one, ...two]);
    }
  });

  it('is rejected without credentials', async () => {
    // The raw fetch: our client never sends a request without credentials.
    const res = await fetch(`${mock.url}/wp-json/wc/v3/products`);
    expect(res.status).toBe(401);
    await res.arrayBuffer();
  });

  it('rejects an invalid body with a typed error', async () => {
    const err = await caught(
      woo().POST('/products', {
        // regular_price is a string in WooCommerce; a number is refused.
        body: { name: 'Bad', regular_price: 21.99 as unknown as string },
      }),
    );
    expect(err).toBeInstanceOf(WooApiError);
    const e = err as WooApiError;
    expect([400, 422]).toContain(e.status);
    expect(e.method).toBe('POST');
    expect(e.path).toBe('/products');
  });
});
