import type { IncomingMessage, ServerResponse } from 'node:http';
import { json } from './server.js';

export interface ListStoreOptions {
  total: number;
  /** Send X-WP-Total / X-WP-TotalPages (default true). */
  totals?: boolean;
  /** Send a Link header (default true); its URLs repeat the request's query string, credentials included. */
  link?: boolean;
  /** Simulated latency per request in ms. */
  latencyMs?: number;
}

/** A list endpoint that pages like WordPress: `page`, `per_page` (max 100), X-WP-* headers and Link. */
export function listStore(opts: ListStoreOptions) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', 'http://store.test');
    const page = Number(u.searchParams.get('page') ?? '1');
    const perPage = Number(u.searchParams.get('per_page') ?? '10');
    if (perPage > 100) {
      return json(res, 400, {
        code: 'rest_invalid_param',
        message: 'Invalid parameter(s): per_page',
        data: {
          status: 400,
          params: { per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' },
        },
      });
    }
    if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs));
    const pages = Math.ceil(opts.total / perPage);
    const start = (page - 1) * perPage;
    const items = [];
    for (let i = start; i < Math.min(start + perPage, opts.total); i++)
      items.push({ id: i + 1, name: `Product ${i + 1}` });
    const headers: Record<string, string> = {};
    if (opts.totals !== false) {
      headers['x-wp-total'] = String(opts.total);
      headers['x-wp-totalpages'] = String(pages);
    }
    if (opts.link !== false) {
      const at = (p: number) => {
        const q = new URLSearchParams(u.searchParams);
        q.set('page', String(p));
        return `<http://${req.headers.host}${u.pathname}?${q}>`;
      };
      const links = [];
      if (page > 1) links.push(`${at(page - 1)}; rel="prev"`);
      if (page < pages) links.push(`${at(page + 1)}; rel="next"`);
      if (links.length) headers.link = links.join(', ');
    }
    json(res, 200, items, headers);
  };
}
