import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ListRoute,
  listRoutes,
  type MockServer,
  mountAtStoreRoot,
  pageOf,
  startMock,
} from '../dist/index.js';
import { basicAuth, concretePath, loadBundle, operations, responseExample } from './helpers.js';

const paged: ListRoute = {
  template: '/wp-json/wc/v3/things',
  pattern: /^\/wp-json\/wc\/v3\/things\/?$/,
  paged: true,
  perPageDefault: 10,
  offset: true,
};
const five = [{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }, { id: 5 }];
const at = (query: string) => new URL(`http://127.0.0.1:4010/wp-json/wc/v3/things${query}`);
const link = (query: string, rel: string) =>
  `<http://127.0.0.1:4010/wp-json/wc/v3/things?${query}>; rel="${rel}"`;

describe('pageOf: a page cut from the collection, with the headers WooCommerce sends', () => {
  it('pages by per_page and page, prev before next, page appended to the query as sent', () => {
    const first = pageOf(paged, five, at('?per_page=2'));
    expect(first.items).toEqual([{ id: 1 }, { id: 2 }]);
    expect(first.headers).toEqual({
      'x-wp-total': '5',
      'x-wp-totalpages': '3',
      link: link('per_page=2&page=2', 'next'),
    });
    const second = pageOf(paged, five, at('?page=2&per_page=2&status=any'));
    expect(second.items).toEqual([{ id: 3 }, { id: 4 }]);
    expect(second.headers.link).toBe(
      `${link('page=1&per_page=2&status=any', 'prev')}, ${link('page=3&per_page=2&status=any', 'next')}`,
    );
    const last = pageOf(paged, five, at('?per_page=2&page=3'));
    expect(last.items).toEqual([{ id: 5 }]);
    expect(last.headers.link).toBe(link('per_page=2&page=2', 'prev'));
  });

  it('answers [] past the last page, with the totals of the collection and prev at the last page', () => {
    const past = pageOf(paged, five, at('?per_page=2&page=9'));
    expect(past.items).toEqual([]);
    expect(past.headers).toEqual({
      'x-wp-total': '5',
      'x-wp-totalpages': '3',
      link: link('per_page=2&page=3', 'prev'),
    });
  });

  it('takes the default per_page, lets offset override page, and gives the discovery link to a single page', () => {
    const whole = pageOf(paged, five, at(''));
    expect(whole.items).toEqual(five);
    expect(whole.headers).toEqual({
      'x-wp-total': '5',
      'x-wp-totalpages': '1',
      link: '<http://127.0.0.1:4010/wp-json/>; rel="https://api.w.org/"',
    });
    expect(pageOf(paged, five, at('?per_page=2&offset=3')).items).toEqual([{ id: 4 }, { id: 5 }]);
    expect(pageOf({ ...paged, offset: false }, five, at('?per_page=2&offset=3')).items).toEqual([
      { id: 1 },
      { id: 2 },
    ]);
    const empty = pageOf(paged, [], at(''));
    expect(empty.headers).toMatchObject({ 'x-wp-total': '0', 'x-wp-totalpages': '0' });
  });

  it('serves a list without a page parameter whole, with its totals', () => {
    const page = pageOf({ ...paged, paged: false }, five, at('?page=2&per_page=2'));
    expect(page.items).toEqual(five);
    expect(page.headers).toMatchObject({ 'x-wp-total': '5', 'x-wp-totalpages': '1' });
  });
});

const doc = loadBundle();
const routes = listRoutes(mountAtStoreRoot(doc));
const getOps = new Map(
  operations(doc)
    .filter((o) => o.method === 'get')
    .map((o) => [`/wp-json/wc/v3${o.path}`, o]),
);

describe('the mock pages every list as a store does', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMock();
  }, 90_000);
  afterAll(() => mock?.stop());

  it('finds the lists of the spec: every GET with a page parameter or X-WP-Total', () => {
    expect(routes.filter((r) => r.paged).length).toBeGreaterThanOrEqual(15);
    expect(routes.map((r) => r.template)).toContain('/wp-json/wc/v3/products');
    expect(routes.find((r) => r.template === '/wp-json/wc/v3/products')).toMatchObject({
      paged: true,
      perPageDefault: 10,
      offset: true,
    });
  });

  it('serves each paged list one item per page with per_page=1: totals, items, Link at the mock, [] past the end', async () => {
    const problems: string[] = [];
    for (const route of routes.filter((r) => r.paged)) {
      const op = getOps.get(route.template);
      const collection = responseExample(doc, op!.op, '200') as unknown[];
      const path = concretePath(route.template);
      const n = collection.length;
      for (let page = 1; page <= n + 1; page++) {
        const query = `context=view&per_page=1&page=${page}`;
        const res = await fetch(`${mock.url}${path}?${query}`, { headers: basicAuth });
        const body = await res.json();
        const want = page <= n ? [collection[page - 1]] : [];
        const self = (p: number) => `<${mock.url}${path}?context=view&per_page=1&page=${p}>`;
        const links = [
          ...(page > 1 ? [`${self(Math.min(page - 1, n))}; rel="prev"`] : []),
          ...(page < n ? [`${self(page + 1)}; rel="next"`] : []),
        ];
        const expected = {
          status: 200,
          body: want,
          total: String(n),
          pages: String(n),
          link: links.length ? links.join(', ') : `<${mock.url}/wp-json/>; rel="https://api.w.org/"`,
        };
        const got = {
          status: res.status,
          body,
          total: res.headers.get('x-wp-total'),
          pages: res.headers.get('x-wp-totalpages'),
          link: res.headers.get('link'),
        };
        if (JSON.stringify(got) !== JSON.stringify(expected))
          problems.push(`${path}?${query}: ${JSON.stringify(got).slice(0, 300)}`);
      }
    }
    expect(problems).toEqual([]);
    // About a hundred requests in sequence: generous for a loaded box.
  }, 180_000);

  it('serves a list without a page parameter whole, with X-WP-Total and X-WP-TotalPages: 1', async () => {
    const whole = routes.filter((r) => !r.paged);
    expect(whole.length).toBeGreaterThan(0);
    for (const route of whole) {
      const collection = responseExample(doc, getOps.get(route.template)!.op, '200') as unknown[];
      const res = await fetch(`${mock.url}${concretePath(route.template)}`, { headers: basicAuth });
      expect(await res.json()).toEqual(collection);
      expect(res.headers.get('x-wp-total'), route.template).toBe(String(collection.length));
      expect(res.headers.get('x-wp-totalpages'), route.template).toBe(collection.length ? '1' : '0');
    }
  });

  it('answers HEAD on a list with the headers of its GET and no body', async () => {
    const url = `${mock.apiUrl}/products?per_page=1&page=2`;
    const get = await fetch(url, { headers: basicAuth });
    await get.arrayBuffer();
    const head = await fetch(url, { method: 'HEAD', headers: basicAuth });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    for (const name of ['x-wp-total', 'x-wp-totalpages', 'link'])
      expect(head.headers.get(name), name).toBe(get.headers.get(name));
  });

  it('leaves the other answers of a list to Prism: a 401 without credentials carries no paging headers', async () => {
    const unauthorised = await fetch(`${mock.apiUrl}/products?page=2`);
    expect(unauthorised.status).toBe(401);
    expect(unauthorised.headers.get('x-wp-total')).toBeNull();
    await unauthorised.arrayBuffer();
  });
});
