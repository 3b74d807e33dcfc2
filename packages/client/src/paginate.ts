import type { paths } from '@wooapi/types';
import type { Client, ClientPathsWithMethod, MaybeOptionalInit } from 'openapi-fetch';
import type { SuccessData, WooClient } from './client.js';
import { configError, WooInvalidResponseError } from './errors.js';
import type { PerRequestOptions } from './retry.js';

/** WordPress refuses `per_page` above 100. */
export const MAX_PER_PAGE = 100;

/** Paths whose GET answers a JSON array: the paged lists. */
export type ListPath<Paths extends {} = paths> = {
  [P in ClientPathsWithMethod<Client<Paths>, 'get'>]: SuccessData<
    Paths,
    P,
    'get',
    object
  > extends readonly unknown[]
    ? P
    : never;
}[ClientPathsWithMethod<Client<Paths>, 'get'>];

/** The element type of a list path (`Product` for `/products`). */
export type ItemOf<Paths extends {}, P extends keyof Paths> =
  SuccessData<Paths, P, 'get', object> extends readonly (infer T)[] ? T : never;

export type ListInit<Paths extends {}, P extends keyof Paths> = NonNullable<
  MaybeOptionalInit<Paths[P], 'get' & keyof Paths[P]>
> &
  PerRequestOptions;

export interface PageOptions {
  /** Items per request, 1 to 100. Default 100 (fewest requests). A larger value is capped at 100. */
  perPage?: number;
  /** First page to fetch (1-based). Default 1. */
  startPage?: number;
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

function int(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** True when a `Link` header has a `rel="next"` entry. */
export function hasNextLink(link: string | null): boolean | undefined {
  if (!link) return undefined;
  return /<[^>]*>\s*;[^,]*\brel\s*=\s*"?([^",]*\s)?next(\s[^",]*)?"?/i.test(link);
}

function perPageOf(
  options: PageOptions | undefined,
  init: { params?: { query?: Record<string, unknown> } } | undefined,
) {
  const asked = options?.perPage ?? (init?.params?.query?.per_page as number | undefined) ?? MAX_PER_PAGE;
  if (typeof asked !== 'number' || !Number.isInteger(asked) || asked < 1) {
    throw configError(
      `perPage must be an integer from 1 to ${MAX_PER_PAGE}; got ${String(asked)}`,
      'wooapi_invalid_request',
    );
  }
  return Math.min(asked, MAX_PER_PAGE);
}

function checkInit(init: { params?: { query?: Record<string, unknown> } } | undefined) {
  if (init?.params?.query?.offset !== undefined) {
    throw configError(
      'paging drives `page`, but WordPress lets `offset` override it (every page would repeat): remove `offset`, or use startPage',
      'wooapi_invalid_request',
    );
  }
}

type AnyInit = { params?: { query?: Record<string, unknown>; [k: string]: unknown }; [k: string]: unknown };

async function fetchPage<T>(
  client: WooClient<Record<string, never>>,
  path: string,
  init: AnyInit | undefined,
  page: number,
  perPage: number,
): Promise<Page<T>> {
  const query = { ...(init?.params?.query ?? {}), page, per_page: perPage };
  const { data, response } = await (
    client.GET as unknown as (p: string, i: AnyInit) => Promise<{ data: unknown; response: Response }>
  )(path, { ...init, params: { ...init?.params, query } });
  if (!Array.isArray(data)) {
    throw new WooInvalidResponseError({
      code: 'wooapi_invalid_response',
      message: `expected a JSON array from a list path, got ${data === null ? 'null' : typeof data}`,
      status: response.status,
      method: 'GET',
      path,
    });
  }
  const total = int(response.headers.get('x-wp-total'));
  const totalPages = int(response.headers.get('x-wp-totalpages'));
  const next = hasNextLink(response.headers.get('link'));
  const hasMore =
    totalPages !== undefined
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
  checkInit(i);
  const perPage = perPageOf(options, i);
  let page = options?.startPage ?? 1;
  for (;;) {
    const p = await fetchPage<ItemOf<Paths, P>>(client, path as string, i, page, perPage);
    yield p;
    if (!p.hasMore) return;
    page++;
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
  checkInit(i);
  const perPage = perPageOf(options, i);
  const concurrency = options?.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw configError(
      `concurrency must be an integer >= 1; got ${String(concurrency)}`,
      'wooapi_invalid_request',
    );
  }
  const start = options?.startPage ?? 1;
  const first = await fetchPage<ItemOf<Paths, P>>(client, path as string, i, start, perPage);
  if (!first.hasMore) return first.items;
  if (first.totalPages === undefined || concurrency === 1) {
    const out = [...first.items];
    for await (const p of pages(client, path, init, { perPage, startPage: start + 1 })) out.push(...p.items);
    return out;
  }
  const rest: number[] = [];
  for (let p = start + 1; p <= first.totalPages; p++) rest.push(p);
  const results: ItemOf<Paths, P>[][] = new Array(rest.length);
  let next = 0;
  const worker = async () => {
    while (next < rest.length) {
      const k = next++;
      results[k] = (await fetchPage<ItemOf<Paths, P>>(client, path as string, i, rest[k]!, perPage)).items;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, rest.length) }, worker));
  return first.items.concat(...results);
}
