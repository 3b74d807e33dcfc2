import type { paths } from '@wooapi/types';
import { contextOf, type SuccessData, type WooClient } from './client.js';
import type { ArgWhy, PagingWhy } from './fail.js';
import { fail } from './transport.js';
import type { CallInit, OperationOf } from './types.js';

/** WordPress refuses `per_page` above 100. */
export const MAX_PER_PAGE = 100;

/** Pages fetched at most by one paging call unless `maxPages` says otherwise (100,000 items at 100 per page). */
export const DEFAULT_MAX_PAGES = 1000;

/**
 * Paths whose GET answers a JSON array: the paged lists. One structural test per path (its 200 JSON is an array),
 * on the raw body type: no `Readable`, no per-status map.
 */
export type ListPath<Paths extends {} = paths> = {
  [P in keyof Paths]: Paths[P] extends {
    get: { responses: { 200: { content: { 'application/json': readonly unknown[] } } } };
  }
    ? P
    : never;
}[keyof Paths];

/** The element type of a list path (`Product` for `/products`). */
export type ItemOf<Paths extends {}, P extends keyof Paths> =
  SuccessData<Paths, P, 'get', object> extends readonly (infer T)[] ? T : never;

export type ListInit<Paths extends {}, P extends keyof Paths> = CallInit<OperationOf<Paths[P], 'get'>>;

export interface PageOptions {
  /** Items per request, 1 to 100. Default 100 (fewest requests). A larger value is capped at 100. */
  perPage?: number;
  /** First page to fetch (1-based). Default 1. */
  startPage?: number;
  /**
   * Most pages to fetch, default 1000: a longer list is a `WooPagingError` (raise it, or narrow the query), so a
   * store that never stops answering cannot keep a loop going for ever.
   */
  maxPages?: number;
}

export interface ListAllOptions extends PageOptions {
  /** Pages fetched at once once the total is known. Default 8 (lower it for a store with few PHP workers); 1 pages sequentially. */
  concurrency?: number;
}

export interface Page<T> {
  items: T[];
  page: number;
  perPage: number;
  /** `X-WP-Total`: items matching, when the store sends it. */
  total: number | undefined;
  /** `X-WP-TotalPages`, when the store sends it. */
  totalPages: number | undefined;
  hasMore: boolean;
}

/** A header as a bounded integer (a safe integer, at most 15 digits); anything else counts as absent. */
function int(value: string | null): number | undefined {
  const v = value?.trim();
  return v && v.length <= 15 && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** A count argument: an integer >= 1. */
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1;

/**
 * The paging arguments checked, in this order: no `offset`, `perPage` (capped at 100), `concurrency` (listAll),
 * `maxPages`. A refusal is a `WooConfigError` whose text comes from the cold chunk: the throw is asynchronous anyway
 * (`pages` and `listAll` reject), and still before anything is sent.
 */
async function argsOf(
  options: ListAllOptions | undefined,
  init: { params?: { query?: Record<string, unknown> } } | undefined,
  concurrency?: number,
): Promise<[perPage: number, maxPages: number]> {
  const query = init?.params?.query;
  if (query?.offset !== undefined) await badArg('offset');
  const asked = options?.perPage ?? (query?.per_page as number | undefined) ?? MAX_PER_PAGE;
  if (!isCount(asked)) await badArg('perPage', asked);
  if (concurrency !== undefined && !isCount(concurrency)) await badArg('concurrency', concurrency);
  const max = options?.maxPages ?? DEFAULT_MAX_PAGES;
  if (!isCount(max)) await badArg('maxPages', max);
  return [Math.min(asked, MAX_PER_PAGE), max];
}

const badArg = async (...why: ArgWhy): Promise<never> => {
  throw (await fail()).argError(why);
};

/** What identifies a page's items (their ids), to notice a store that answers the same page again. */
const fingerprint = (items: unknown[]): string =>
  items
    .map((x) => {
      const o = x as { id?: unknown; code?: unknown; slug?: unknown } | null;
      return String(o?.id ?? o?.code ?? o?.slug ?? JSON.stringify(x));
    })
    .join(',');

/** Paging refused: the typed error, with its explanation, comes from the cold chunk (loaded on first failure). */
const refuse = async (client: unknown, path: string, ...why: PagingWhy): Promise<never> => {
  throw (await fail()).pagingError(contextOf(client), path, why);
};

type AnyInit = { params?: { query?: Record<string, unknown>; [k: string]: unknown }; [k: string]: unknown };

async function fetchPage<T>(
  client: unknown,
  path: string,
  init: AnyInit | undefined,
  page: number,
  perPage: number,
): Promise<Page<T>> {
  const query = { ...(init?.params?.query ?? {}), page, per_page: perPage };
  const { data, response } = await (
    (client as WooClient).GET as unknown as (
      p: string,
      i: AnyInit,
    ) => Promise<{ data: unknown; response: Response }>
  )(path, { ...init, params: { ...init?.params, query } });
  if (!Array.isArray(data)) return refuse(client, path, 'array', response.status, data);
  if (data.length > perPage) return refuse(client, path, 'perPage', page, perPage, data.length);
  const total = int(response.headers.get('x-wp-total'));
  const totalPages = int(response.headers.get('x-wp-totalpages'));
  // `Link: rel="next"` only matters without X-WP-TotalPages (a proxy that strips it): parsed by a chunk of its own.
  const link = totalPages === undefined && data.length ? response.headers.get('link') : null;
  const next = link ? (await import('./link.js')).hasNextLink(link) : undefined;
  // An empty page ends the list, whatever the headers say.
  const hasMore =
    data.length === 0
      ? false
      : totalPages !== undefined
        ? page < totalPages
        : next !== undefined
          ? next
          : data.length === perPage && data.length > 0;
  return { items: data as T[], page, perPage, total, totalPages, hasMore };
}

/**
 * Every page of a list, one request at a time, driven by `X-WP-TotalPages` (or `Link: rel="next"` when a store
 * omits the totals).
 */
export async function* pages<Paths extends {}, P extends ListPath<Paths>>(
  client: WooClient<Paths>,
  path: P,
  init?: ListInit<Paths, P>,
  options?: PageOptions,
): AsyncGenerator<Page<ItemOf<Paths, P>>, void, undefined> {
  const i = init as AnyInit | undefined;
  const [perPage, max] = await argsOf(options, i);
  yield* walk<ItemOf<Paths, P>>(client, path as string, i, perPage, options?.startPage ?? 1, max);
}

/** The pages from `start` on, each checked against the previous one; `first` when already fetched. */
async function* walk<T>(
  client: unknown,
  path: string,
  init: AnyInit | undefined,
  perPage: number,
  start: number,
  max: number,
  first?: Page<T>,
): AsyncGenerator<Page<T>, void, undefined> {
  let previous: string | undefined;
  for (let page = start; ; page++) {
    const p = page === start && first ? first : await fetchPage<T>(client, path, init, page, perPage);
    const seen = fingerprint(p.items);
    if (previous !== undefined && seen === previous) await refuse(client, path, 'repeat', page);
    previous = seen;
    yield p;
    if (!p.hasMore) return;
    if (page - start + 1 >= max) await refuse(client, path, 'long', max, p.totalPages);
  }
}

/** Every item of a list, as an async iterator: `for await (const product of paginate(woo, '/products')) ...`. */
export async function* paginate<Paths extends {}, P extends ListPath<Paths>>(
  client: WooClient<Paths>,
  path: P,
  init?: ListInit<Paths, P>,
  options?: PageOptions,
): AsyncGenerator<ItemOf<Paths, P>, void, undefined> {
  for await (const page of pages(client, path, init, options)) yield* page.items;
}

/**
 * Every item of a list in one array, in order. Fetches page 1, then, knowing the total, the other pages with
 * bounded concurrency. Pages are read at slightly different moments: on a store being edited meanwhile, an item
 * can move across a page boundary (as with any offset paging).
 */
export async function listAll<Paths extends {}, P extends ListPath<Paths>>(
  client: WooClient<Paths>,
  path: P,
  init?: ListInit<Paths, P>,
  options?: ListAllOptions,
): Promise<ItemOf<Paths, P>[]> {
  const i = init as AnyInit | undefined;
  const concurrency = options?.concurrency ?? 8;
  const [perPage, max] = await argsOf(options, i, concurrency);
  const start = options?.startPage ?? 1;
  const first = await fetchPage<ItemOf<Paths, P>>(client, path as string, i, start, perPage);
  if (!first.hasMore) return first.items;
  if (first.totalPages === undefined || concurrency === 1) {
    // No totals (Link or short pages tell where it ends), or no concurrency: one page after another.
    const out: ItemOf<Paths, P>[] = [];
    for await (const p of walk(client, path as string, i, perPage, start, max, first)) out.push(...p.items);
    return out;
  }
  // The header is bounded (15 digits) and checked against maxPages before it sizes anything.
  const count = first.totalPages - start;
  if (count + 1 > max) await refuse(client, path as string, 'long', max, first.totalPages);
  const results: ItemOf<Paths, P>[][] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const k = next++;
      results[k] = (
        await fetchPage<ItemOf<Paths, P>>(client, path as string, i, start + 1 + k, perPage)
      ).items;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  let previous = fingerprint(first.items);
  for (let k = 0; k < count; k++) {
    const seen = fingerprint(results[k]!);
    if (results[k]!.length && seen === previous)
      await refuse(client, path as string, 'repeat', start + 1 + k);
    previous = seen;
  }
  return first.items.concat(...results);
}
