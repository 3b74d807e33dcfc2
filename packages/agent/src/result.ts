// A store answer as a tool result: structuredContent shaped by the tool's definition.
import type { ToolDefinition } from './tools/build.js';

export interface PagingHeaders {
  total?: string | null;
  totalPages?: string | null;
}

const count = (v: string | null | undefined): number | null => {
  if (v === undefined || v === null || v.trim() === '') return null;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? n : null;
};

/**
 * `{ items, total, totalPages, page }` for a list (from X-WP-Total / X-WP-TotalPages; without them, the list is
 * whole); `{ items }` or
 * `{ result }` for a JSON answer that is not an object; the object itself otherwise. PHP encodes an empty map as
 * `[]`: for a tool whose answer is an object, `[]` is `{}`.
 */
export function shapeResult(
  tool: Pick<ToolDefinition, 'list' | 'wrap' | 'outputSchema'>,
  data: unknown,
  args: Record<string, unknown>,
  headers: PagingHeaders = {},
): Record<string, unknown> | undefined {
  if (!tool.outputSchema) return undefined;
  if (tool.list) {
    const page = typeof args.page === 'number' && args.page >= 1 ? args.page : 1;
    const items = Array.isArray(data) ? data : [];
    const total = count(headers.total);
    // Routes that do not page (order statuses, notes, downloads) send no X-WP-Total: the answer is everything.
    if (total === null && headers.totalPages == null && page === 1)
      return { items, total: items.length, totalPages: 1, page };
    return { items, total, totalPages: count(headers.totalPages), page };
  }
  if (tool.wrap === 'items') return { items: data };
  if (tool.wrap === 'result') return { result: data };
  if (Array.isArray(data) && data.length === 0) return {};
  if (data && typeof data === 'object' && !Array.isArray(data)) return data as Record<string, unknown>;
  return { result: data };
}
