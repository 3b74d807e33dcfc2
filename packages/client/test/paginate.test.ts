import { afterEach, describe, expect, it } from 'vitest';
import {
  createWooClient,
  DEFAULT_MAX_PAGES,
  listAll,
  pages,
  paginate,
  WooConfigError,
  WooPagingError,
} from '../src/index.js';
import { hasNextLink } from '../src/link.js';
import { basicClient } from './helpers/client.js';
import { caught, KEY, SECRET } from './helpers/errors.js';
import { json, startServer, type TestServer } from './helpers/server.js';
import { type ListStoreOptions, listStore } from './helpers/store.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function store(opts: ListStoreOptions, auth: 'basic' | 'query' | 'oauth1' = 'basic') {
  server = await startServer(listStore(opts));
  const woo = createWooClient({
    url: server.url,
    consumerKey: KEY,
    consumerSecret: SECRET,
    auth,
    allowInsecureLoopback: true,
  });
  return { woo, srv: server };
}

const ids = (items: { id?: number }[]) => items.map((p) => p.id);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('paginate', () => {
  it('iterates every item across pages driven by X-WP-TotalPages, 100 per page by default', async () => {
    const { woo, srv } = await store({ total: 250 });
    const seen = [];
    for await (const p of paginate(woo, '/products')) seen.push(p);
    expect(ids(seen)).toEqual(range(250));
    expect(srv.requests.map((r) => new URL(r.url, 'http://x').searchParams.get('page'))).toEqual([
      '1',
      '2',
      '3',
    ]);
    expect(new URL(srv.requests[0]!.url, 'http://x').searchParams.get('per_page')).toBe('100');
  });

  it("gives pages with totals, and keeps the caller's filters", async () => {
    const { woo, srv } = await store({ total: 45 });
    const got = [];
    for await (const page of pages(woo, '/products', {
      params: { query: { status: 'publish', per_page: 20 } },
    })) {
      got.push({
        page: page.page,
        n: page.items.length,
        total: page.total,
        totalPages: page.totalPages,
        hasMore: page.hasMore,
      });
    }
    expect(got).toEqual([
      { page: 1, n: 20, total: 45, totalPages: 3, hasMore: true },
      { page: 2, n: 20, total: 45, totalPages: 3, hasMore: true },
      { page: 3, n: 5, total: 45, totalPages: 3, hasMore: false },
    ]);
    expect(srv.requests[0]!.url).toContain('status=publish');
  });

  it('caps per_page at 100', async () => {
    const { woo, srv } = await store({ total: 150 });
    const all = await listAll(woo, '/products', undefined, { perPage: 500 });
    expect(all).toHaveLength(150);
    expect(srv.requests.every((r) => r.url.includes('per_page=100'))).toBe(true);
  });

  it('follows Link rel="next" when a store omits the totals', async () => {
    const { woo, srv } = await store({ total: 230, totals: false });
    const all = await listAll(woo, '/products');
    expect(ids(all)).toEqual(range(230));
    expect(srv.requests).toHaveLength(3);
  });

  it('stops on a short page when a store sends neither totals nor Link', async () => {
    const { woo, srv } = await store({ total: 200, totals: false, link: false });
    const all = [];
    for await (const p of paginate(woo, '/products')) all.push(p);
    expect(all).toHaveLength(200);
    // 100, 100, then an empty third page ends it.
    expect(srv.requests).toHaveLength(3);
  });

  it('refuses offset, which WordPress lets override page', async () => {
    const { woo } = await store({ total: 10 });
    const err = await caught(async () => {
      for await (const _ of paginate(woo, '/products', { params: { query: { offset: 5 } } })) break;
    });
    expect(err).toBeInstanceOf(WooConfigError);
    expect((err as Error).message).toMatch(/offset/);
  });
});

describe('listAll', () => {
  it('fetches the remaining pages with bounded concurrency, in order', async () => {
    const { woo, srv } = await store({ total: 1000, latencyMs: 20 });
    const all = await listAll(woo, '/products', undefined, { concurrency: 4 });
    expect(ids(all)).toEqual(range(1000));
    expect(srv.requests).toHaveLength(10);
    expect(srv.maxInFlight()).toBeLessThanOrEqual(4);
    expect(srv.maxInFlight()).toBeGreaterThan(1);
  });

  it('never returns credentials a store echoes into Link URLs', async () => {
    for (const auth of ['query', 'oauth1'] as const) {
      const { woo, srv } = await store({ total: 150 }, auth);
      const seen: unknown[] = [];
      for await (const page of pages(woo, '/products')) seen.push(page);
      // The store did echo them...
      expect(srv.requests[0]!.url).toMatch(/consumer_secret|oauth_signature/);
      // ...but nothing returned carries them.
      const text = JSON.stringify(seen);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(KEY);
      const { response } = await woo.GET('/products', { params: { query: { page: 1 } } });
      expect(response.url).toBe('');
      expect(response.headers.get('link')).toMatch(/rel="next"/);
      expect(response.headers.get('link')).not.toMatch(/consumer_|oauth_/);
      await srv.close();
    }
  });
});

// Issue 10 item 2: stores that would make paging run for ever, or size an allocation from a header.
describe('hostile paging', () => {
  const hostile = async (handler: Parameters<typeof startServer>[0]) => {
    server = await startServer(handler);
    return { woo: basicClient(server.url), srv: server };
  };
  const pageOf = (url: string) => Number(new URL(url, 'http://x').searchParams.get('page'));
  const items = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: from + i }));

  it('X-WP-TotalPages: 1000000000 is a typed error after page 1, nothing sized from it', async () => {
    const { woo, srv } = await hostile((_req, res) =>
      json(res, 200, items(1, 100), { 'x-wp-total': '100000000000', 'x-wp-totalpages': '1000000000' }),
    );
    const err = (await caught(listAll(woo, '/products'))) as WooPagingError;
    expect(err).toBeInstanceOf(WooPagingError);
    expect(err.code).toBe('wooapi_paging_error');
    expect(err.message).toMatch(/more than maxPages \(1000\) pages \(X-WP-TotalPages: 1000000000\)/);
    expect(srv.requests).toHaveLength(1);
  });

  it('a header too long to be a number counts as absent (paging then ends on the short page)', async () => {
    const { woo } = await hostile((_req, res) =>
      json(res, 200, items(1, 3), { 'x-wp-totalpages': '9'.repeat(400) }),
    );
    expect(await listAll(woo, '/products')).toHaveLength(3);
  });

  it('a store that ignores `page` (Link next back to the same page) is refused at page 2', async () => {
    const { woo, srv } = await hostile((req, res) =>
      json(res, 200, items(1, 100), { link: `<http://${req.headers.host}${req.url}>; rel="next"` }),
    );
    for (const run of [
      () => listAll(woo, '/products'),
      async () => {
        for await (const _ of paginate(woo, '/products'));
      },
    ]) {
      const before = srv.requests.length;
      const err = (await caught(run)) as WooPagingError;
      expect(err).toBeInstanceOf(WooPagingError);
      expect(err.message).toMatch(/page 2 holds the same items as page 1/);
      expect(srv.requests.length - before).toBe(2);
    }
  });

  it('the same with totals and concurrency: listAll refuses repeated pages', async () => {
    const { woo } = await hostile((_req, res) =>
      json(res, 200, items(1, 100), { 'x-wp-total': '500', 'x-wp-totalpages': '5' }),
    );
    const err = await caught(listAll(woo, '/products', undefined, { concurrency: 4 }));
    expect(err).toBeInstanceOf(WooPagingError);
  });

  it('an empty page ends the list even with rel="next" and totals that promise more', async () => {
    const { woo, srv } = await hostile((req, res) => {
      const p = pageOf(req.url!);
      json(res, 200, p <= 2 ? items(p * 100 - 99, 100) : [], {
        'x-wp-totalpages': '50',
        link: `<http://${req.headers.host}/next>; rel="next"`,
      });
    });
    const seen = [];
    for await (const x of paginate(woo, '/products')) seen.push(x);
    expect(seen).toHaveLength(200);
    expect(srv.requests).toHaveLength(3);
  });

  it('maxPages bounds a store that never stops (new items, rel="next", no totals)', async () => {
    const { woo, srv } = await hostile((req, res) => {
      const p = pageOf(req.url!);
      json(res, 200, items(p * 10, 10), { link: `<http://${req.headers.host}/?page=${p + 1}>; rel="next"` });
    });
    const err = (await caught(
      listAll(woo, '/products', undefined, { perPage: 10, maxPages: 25 }),
    )) as WooPagingError;
    expect(err).toBeInstanceOf(WooPagingError);
    expect(err.message).toMatch(/more than maxPages \(25\)/);
    expect(srv.requests).toHaveLength(25);
    const bad = await caught(listAll(woo, '/products', undefined, { maxPages: 0 }));
    expect(bad).toBeInstanceOf(WooConfigError);
  });

  it('the default maxPages (1000) stops an endless store', async () => {
    const { woo, srv } = await hostile((req, res) => {
      const p = pageOf(req.url!);
      json(res, 200, [{ id: p }], { link: `<http://${req.headers.host}/?page=${p + 1}>; rel="next"` });
    });
    const err = (await caught(async () => {
      for await (const _ of pages(woo, '/products', undefined, { perPage: 1 }));
    })) as WooPagingError;
    expect(err.data).toMatchObject({ maxPages: DEFAULT_MAX_PAGES });
    expect(srv.requests).toHaveLength(DEFAULT_MAX_PAGES);
  });

  it('reports a page with more items than per_page (the store ignores per_page)', async () => {
    const { woo } = await hostile((_req, res) => json(res, 200, items(1, 30), { 'x-wp-totalpages': '3' }));
    const err = (await caught(listAll(woo, '/products', undefined, { perPage: 10 }))) as WooPagingError;
    expect(err).toBeInstanceOf(WooPagingError);
    expect(err.message).toMatch(/page 1 has 30 items, more than per_page 10/);
  });

  it('reads Link rel="next" in a crafted header, and a plain one', () => {
    expect(hasNextLink('<a>; '.repeat(4000))).toBe(false);
    expect(hasNextLink(`${'<a>; rel="prev", '.repeat(2000)}<b>; rel="next"`)).toBe(true);
    expect(
      hasNextLink('<https://s/wp-json/wc/v3/products?page=2>; rel="next", <https://s/x?page=1>; rel="prev"'),
    ).toBe(true);
    expect(hasNextLink('<https://s/x?page=1>; rel="prev"')).toBe(false);
    expect(hasNextLink('<https://s/x,y?page=2>; REL=next')).toBe(true);
    expect(hasNextLink('<https://s/x>; rel="prefetch next"')).toBe(true);
    expect(hasNextLink('<'.repeat(20000))).toBe(false);
  });
});
