import { resolveRef } from '@wooapi/spec/ref';
import type { OpenApiDoc } from './spec.js';

/**
 * Paging as a WooCommerce store does it, applied to the mock's list answers: the list example is the collection,
 * and `page`, `per_page` and `offset` cut the page from it (see docs/decisions/mock-front-server.md).
 */
export interface ListRoute {
  /** The mounted path template: `/wp-json/wc/v3/products/{product_id}/variations`. */
  template: string;
  pattern: RegExp;
  /** The operation declares `page`: the list pages. Otherwise it is served whole, as one page. */
  paged: boolean;
  /** `per_page` when the request gives none (the parameter's default, else WordPress's 10). */
  perPageDefault: number;
  /** The operation declares `offset`, which WordPress lets override `page`. */
  offset: boolean;
}

interface Param {
  name?: string;
  in?: string;
  schema?: { default?: unknown };
}

/**
 * The lists of a (mounted) document: GET operations whose 200 answer is a JSON array and that either declare a
 * `page` parameter or the `X-WP-Total` header (lists a store answers whole, with totals). Literal paths come first,
 * so `/products/categories` is never taken for a template.
 */
export function listRoutes(doc: OpenApiDoc): ListRoute[] {
  const routes: ListRoute[] = [];
  for (const [template, rawItem] of Object.entries(doc.paths ?? {})) {
    const item = resolveRef(doc, rawItem) as Record<string, unknown> | undefined;
    const op = item?.get as Record<string, unknown> | undefined;
    if (!op) continue;
    const ok = resolveRef(doc, (op.responses as Record<string, unknown> | undefined)?.['200']) as
      | { content?: Record<string, { schema?: unknown }>; headers?: Record<string, unknown> }
      | undefined;
    const schema = resolveRef(doc, ok?.content?.['application/json']?.schema) as
      | { type?: unknown }
      | undefined;
    if (schema?.type !== 'array') continue;
    const params = [...((item?.parameters as unknown[]) ?? []), ...((op.parameters as unknown[]) ?? [])]
      .map((p) => resolveRef(doc, p) as Param)
      .filter((p) => p?.in === 'query');
    const paged = params.some((p) => p.name === 'page');
    const totals = Object.keys(ok?.headers ?? {}).some((h) => h.toLowerCase() === 'x-wp-total');
    if (!paged && !totals) continue;
    const perPage = params.find((p) => p.name === 'per_page')?.schema?.default;
    routes.push({
      template,
      pattern: templatePattern(template),
      paged,
      perPageDefault: typeof perPage === 'number' && Number.isInteger(perPage) && perPage > 0 ? perPage : 10,
      offset: params.some((p) => p.name === 'offset'),
    });
  }
  const literal = (r: ListRoute) => (r.template.includes('{') ? 1 : 0);
  return routes.sort((a, b) => literal(a) - literal(b));
}

function templatePattern(template: string): RegExp {
  const parts = template.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[^/]+')}/?$`);
}

export function findListRoute(routes: ListRoute[], pathname: string): ListRoute | undefined {
  return routes.find((r) => r.pattern.test(pathname));
}

/** A positive integer from a query value, or undefined (Prism has already refused what the spec forbids). */
function positiveInt(value: string | null, min: number): number | undefined {
  if (value === null || !/^\s*\d{1,9}\s*$/.test(value)) return undefined;
  const n = Number(value);
  return n >= min ? n : undefined;
}

/**
 * `add_query_arg('page', N, $base)` as WordPress does it: the request's own query kept as sent, `page` replaced
 * where it stands or appended at the end.
 */
function withPage(origin: string, pathname: string, rawQuery: string, page: number): string {
  const pairs = rawQuery ? rawQuery.split('&').filter(Boolean) : [];
  let replaced = false;
  const out = pairs.map((pair) => {
    if (pair.split('=')[0] !== 'page') return pair;
    replaced = true;
    return `page=${page}`;
  });
  if (!replaced) out.push(`page=${page}`);
  return `${origin}${pathname}?${out.join('&')}`;
}

export interface PagedAnswer {
  items: unknown[];
  headers: { 'x-wp-total': string; 'x-wp-totalpages': string; link: string };
}

/**
 * One page of `collection` for a request to `url` (the URL as the client addressed the mock: its own host and
 * port), with the headers WooCommerce sends: `X-WP-Total`, `X-WP-TotalPages`, and `Link` with `rel="prev"` and
 * `rel="next"` (prev first, as `WP_REST_Response::link_header` adds them), or WordPress's API discovery link when
 * there is no other page. Past the last page the items are `[]` and the totals stay those of the collection.
 */
export function pageOf(route: ListRoute, collection: unknown[], url: URL): PagedAnswer {
  const total = collection.length;
  const discovery = `<${url.origin}/wp-json/>; rel="https://api.w.org/"`;
  if (!route.paged) {
    return {
      items: collection,
      headers: { 'x-wp-total': String(total), 'x-wp-totalpages': total > 0 ? '1' : '0', link: discovery },
    };
  }
  const query = url.searchParams;
  const perPage = positiveInt(query.get('per_page'), 1) ?? route.perPageDefault;
  const page = positiveInt(query.get('page'), 1) ?? 1;
  const offset = route.offset ? positiveInt(query.get('offset'), 0) : undefined;
  const start = offset ?? (page - 1) * perPage;
  const items = start < total ? collection.slice(start, start + perPage) : [];
  const totalPages = Math.ceil(total / perPage);
  const rawQuery = url.search.slice(1);
  const links: string[] = [];
  // WC_REST_CRUD_Controller::get_items: prev is capped at the last page, next only while pages remain.
  if (page > 1) {
    const prev = Math.max(1, Math.min(page - 1, totalPages));
    links.push(`<${withPage(url.origin, url.pathname, rawQuery, prev)}>; rel="prev"`);
  }
  if (totalPages > page)
    links.push(`<${withPage(url.origin, url.pathname, rawQuery, page + 1)}>; rel="next"`);
  return {
    items,
    headers: {
      'x-wp-total': String(total),
      'x-wp-totalpages': String(totalPages),
      link: links.length > 0 ? links.join(', ') : discovery,
    },
  };
}
