import { afterEach, describe, expect, it } from 'vitest';
import { createWooClient, listAll, pages, paginate, WooConfigError } from '../src/index.js';
import { caught, KEY, SECRET } from './helpers/errors.js';
import { startServer, type TestServer } from './helpers/server.js';
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
