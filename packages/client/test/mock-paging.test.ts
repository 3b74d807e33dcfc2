import { type MockServer, startMock } from '@wooapi/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWooClient, listAll, pages, paginate } from '../src/index.js';
import { KEY, SECRET } from './helpers/errors.js';

/**
 * The client's paging against the real mock, which pages its list examples as a store does (page, per_page,
 * X-WP-Total, X-WP-TotalPages, Link at the mock itself, [] past the end): the same items, in order, in as many
 * requests as a store would take.
 */
describe('paging against the Prism mock', () => {
  let mock: MockServer;
  const requested: URL[] = [];
  beforeAll(async () => {
    mock = await startMock({});
  }, 90_000);
  afterAll(() => mock?.stop());

  const woo = () =>
    createWooClient({
      url: mock.url,
      consumerKey: KEY,
      consumerSecret: SECRET,
      fetch: (request) => {
        requested.push(new URL(request.url));
        return fetch(request);
      },
    });
  /** The whole collection, as one page of 100 shows it. */
  const collection = async (path: '/products' | '/products/categories') => {
    const { data, response } = await woo().GET(path, { params: { query: { per_page: 100 } } });
    expect(response.headers.get('x-wp-totalpages')).toBe('1');
    return data as { id: number }[];
  };

  for (const [path, perPage] of [
    ['/products', 1],
    ['/products/categories', 3],
  ] as const) {
    it(`listAll, paginate and pages read ${path} whole at perPage ${perPage}, one request per page`, async () => {
      const all = await collection(path);
      expect(all.length).toBeGreaterThan(1);
      const expectedPages = Math.ceil(all.length / perPage);

      requested.length = 0;
      expect(await listAll(woo(), path, undefined, { perPage })).toEqual(all);
      expect(requested).toHaveLength(expectedPages);
      expect(requested.map((u) => u.searchParams.get('page')).sort()).toEqual(
        Array.from({ length: expectedPages }, (_, i) => String(i + 1)).sort(),
      );

      requested.length = 0;
      const items: unknown[] = [];
      for await (const item of paginate(woo(), path, undefined, { perPage })) items.push(item);
      expect(items).toEqual(all);
      expect(requested).toHaveLength(expectedPages);

      const seen: { page: number; total?: number; totalPages?: number; hasMore: boolean; n: number }[] = [];
      for await (const p of pages(woo(), path, undefined, { perPage }))
        seen.push({
          page: p.page,
          total: p.total,
          totalPages: p.totalPages,
          hasMore: p.hasMore,
          n: p.items.length,
        });
      expect(seen).toEqual(
        Array.from({ length: expectedPages }, (_, i) => ({
          page: i + 1,
          total: all.length,
          totalPages: expectedPages,
          hasMore: i + 1 < expectedPages,
          n: Math.min(perPage, all.length - i * perPage),
        })),
      );
    });
  }

  it('follows the Link next of the mock, which points at the mock itself, to the next page', async () => {
    const { response } = await woo().GET('/products', { params: { query: { per_page: 1 } } });
    const next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
    expect(next).toBeDefined();
    const url = new URL(next!);
    expect(url.origin).toBe(mock.url);
    expect(url.searchParams.get('page')).toBe('2');
    expect(url.searchParams.get('per_page')).toBe('1');
  });

  it('gets [] past the last page, as from a store', async () => {
    const all = await collection('/products');
    const { data, response } = await woo().GET('/products', {
      params: { query: { per_page: 1, page: all.length + 1 } },
    });
    expect(data).toEqual([]);
    expect(response.headers.get('x-wp-total')).toBe(String(all.length));
    expect(await listAll(woo(), '/products', undefined, { perPage: 1, startPage: all.length + 1 })).toEqual(
      [],
    );
  });
});
