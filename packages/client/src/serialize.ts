/**
 * Paths and query strings, serialized as the client's openapi-fetch configuration does (`{id}` parameters; arrays
 * comma-separated, `include=1,2,3`, which WordPress parses; objects as `key[sub]=value`), without loading
 * openapi-fetch's runtime on the direct path. test/serialize.test.ts checks both agree.
 */
import { configError } from './errors.js';

const enc = (v: unknown) => {
  if (v !== null && typeof v === 'object')
    throw configError(
      'a query or path parameter nests arrays or objects: flatten it',
      'wooapi_invalid_request',
    );
  return encodeURIComponent(v as string);
};

export function serializeQuery(query: Record<string, unknown>): string {
  let out = '';
  for (const name in query) {
    const v = query[name];
    if (v === undefined || v === null) continue;
    let pair: string;
    if (Array.isArray(v)) {
      if (!v.length) continue;
      pair = `${name}=${v.map(enc).join(',')}`;
    } else if (typeof v === 'object') {
      const parts: string[] = [];
      for (const k in v) {
        const x = (v as Record<string, unknown>)[k];
        if (x !== undefined && x !== null) parts.push(`${name}[${k}]=${enc(x)}`);
      }
      if (!parts.length) continue;
      pair = parts.join('&');
    } else pair = `${name}=${enc(v)}`;
    out += out ? `&${pair}` : pair;
  }
  return out;
}

/** `/products/{id}` with `{ id: 794 }` -> `/products/794`; a parameter left unset stays `{id}`. */
export function serializePath(path: string, params: Record<string, unknown> | undefined): string {
  let open = path.indexOf('{');
  if (open < 0) return path;
  let out = '';
  let from = 0;
  while (open >= 0) {
    const close = path.indexOf('}', open);
    if (close < 0) break;
    const v = params?.[path.slice(open + 1, close)];
    out += path.slice(from, open);
    out +=
      v === undefined || v === null
        ? path.slice(open, close + 1)
        : Array.isArray(v)
          ? v.map(enc).join(',')
          : enc(v);
    from = close + 1;
    open = path.indexOf('{', from);
  }
  return out + path.slice(from);
}
