import { readFile } from 'node:fs/promises';
import { compareIndex, type RouteIndex } from '@wooapi/spec/compare';
import { readAtMost } from './read.js';
import { API_PREFIX, type OpenApiDoc } from './spec.js';
import { isLoopback } from './upstream.js';

export { type RouteIndex, routeToPath } from '@wooapi/spec/compare';

export interface DiffItem {
  kind: 'route' | 'method' | 'parameter' | 'property' | 'path-parameter-name';
  /** The path in spec form, relative to /wp-json/wc/v3: `/products/{id}`. */
  path: string;
  method?: string;
  name?: string;
  detail?: string;
}

export interface DiffResult {
  /** What the store has that the spec lacks. */
  storeOnly: DiffItem[];
  /** What the spec has that the store lacks. */
  specOnly: DiffItem[];
  /** Routes both have. */
  matched: string[];
  /** Store routes left out as internal to WooCommerce's admin and payment extensions (see `internal`). */
  ignored: string[];
}

export interface DiffOptions {
  /** Also compare routes internal to WooCommerce's admin/payment extensions (marketplace/*, paypal-*). */
  includeInternal?: boolean;
}

export function checkIndex(index: unknown, source: string): RouteIndex {
  if (
    !index ||
    typeof index !== 'object' ||
    typeof (index as RouteIndex).routes !== 'object' ||
    (index as RouteIndex).routes === null
  ) {
    throw new Error(
      `${source} is not a route index: expected the JSON of GET /wp-json/wc/v3?context=help, with a "routes" object`,
    );
  }
  return index as RouteIndex;
}

/** The comparison of @wooapi/spec/compare, as a list of items each side lacks. */
export function diffIndex(index: RouteIndex, doc: OpenApiDoc, options: DiffOptions = {}): DiffResult {
  const comparison = compareIndex(doc, index, options);
  const result: DiffResult = {
    storeOnly: [],
    specOnly: [],
    matched: [],
    ignored: comparison.ignored.filter((i) => i.internal).map((i) => i.path),
  };
  for (const route of comparison.routes) {
    const specPath = route.specPath;
    if (!specPath) {
      result.storeOnly.push({ kind: 'route', path: route.path, detail: route.methods.join(', ') });
      continue;
    }
    result.matched.push(specPath);
    if (specPath !== route.path) {
      result.storeOnly.push({
        kind: 'path-parameter-name',
        path: specPath,
        detail: `the store names them ${route.path}`,
      });
    }
    for (const op of route.operations) {
      if (!op.spec || !op.params) {
        result.storeOnly.push({ kind: 'method', path: specPath, method: op.methods.join('|') });
        continue;
      }
      const method = op.spec.method;
      for (const name of op.params.storeOnly)
        result.storeOnly.push({ kind: 'parameter', path: specPath, method, name });
      for (const name of op.params.specOnly)
        result.specOnly.push({ kind: 'parameter', path: specPath, method, name });
    }
    for (const op of route.specOnlyOperations ?? [])
      result.specOnly.push({ kind: 'method', path: specPath, method: op.method });
    const properties = route.properties;
    if (properties) {
      const { method } = properties;
      for (const name of properties.storeOnly)
        result.storeOnly.push({ kind: 'property', path: specPath, method, name });
      for (const name of properties.specOnly)
        result.specOnly.push({ kind: 'property', path: specPath, method, name });
    }
  }
  for (const { path } of comparison.specOnlyPaths) result.specOnly.push({ kind: 'route', path });
  return result;
}

function describe(item: DiffItem): string {
  const where = `${item.method ? `${item.method} ` : ''}${item.path}`;
  switch (item.kind) {
    case 'route':
      return `route ${item.path}${item.detail ? ` (${item.detail})` : ''}`;
    case 'method':
      return `method ${where}`;
    case 'parameter':
      return `parameter ${item.name} of ${where}`;
    case 'property':
      return `property ${item.name} of ${where}'s resource`;
    case 'path-parameter-name':
      return `path parameter names of ${item.path}: ${item.detail}`;
  }
}

export function formatDiff(result: DiffResult): string {
  const section = (title: string, items: DiffItem[]) =>
    items.length === 0
      ? `${title}: nothing.`
      : `${title} (${items.length}):\n${items.map((i) => `  + ${describe(i)}`).join('\n')}`;
  return [
    `${result.matched.length} route(s) in both; ${result.ignored.length} internal store route(s) left out (marketplace/*, paypal-*).`,
    section('The store has, the spec lacks', result.storeOnly),
    section('The spec has, the store lacks', result.specOnly),
    // The store's index is what WooCommerce declares; the spec follows what it sends where the two differ.
    'Properties and parameters come from the schema the store declares, which is not always what it sends: where the\n' +
      'spec differs on purpose, its description says so. Routes and methods the store has are the ones to add.',
  ].join('\n\n');
}

export async function readIndexFile(file: string): Promise<RouteIndex> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the route index ${file}: ${(error as Error).message}`);
  }
  try {
    return checkIndex(JSON.parse(text), file);
  } catch (error) {
    if (error instanceof SyntaxError)
      throw new Error(`The route index ${file} is not valid JSON: ${error.message}`);
    throw error;
  }
}

export interface FetchIndexOptions {
  /** Allow the key and secret over plain http to localhost / 127.x / [::1] (a store on this machine). */
  allowInsecureLoopback?: boolean;
  /** Default 30 000 ms. */
  timeoutMs?: number;
}

/** A URL to show: its query's credentials masked. */
function shown(url: URL): string {
  const copy = new URL(url);
  for (const key of [...copy.searchParams.keys()])
    if (/secret|key|signature|password|token/i.test(key)) copy.searchParams.set(key, '***');
  return `${copy.origin}${copy.pathname}${copy.search.replaceAll('%2A', '*')}`;
}

/**
 * Fetches a store's route index. Credentials go in a Basic header, only over https (or to loopback when allowed),
 * never along a redirect, and never into messages.
 */
/** The largest route index `fetchIndex` reads: 32 MiB, 64 times WooCommerce 11.0.1's. */
export const MAX_INDEX_BYTES = 32 * 2 ** 20;

export async function fetchIndex(
  store: string,
  credentials?: { key: string; secret: string },
  options: FetchIndexOptions = {},
): Promise<RouteIndex> {
  let base: URL;
  try {
    base = new URL(store);
  } catch {
    throw new Error(
      `--store is not a URL: ${JSON.stringify(store)} (expected the store root, e.g. https://shop.example.com)`,
    );
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:')
    throw new Error(`--store must be an https URL (the store root), got ${base.protocol}`);
  if (
    credentials &&
    base.protocol === 'http:' &&
    !(options.allowInsecureLoopback && isLoopback(base.hostname))
  ) {
    throw new Error(
      `Refusing to send the key and secret over plain http to ${base.host}: anyone on the way can read them, and ` +
        "WooCommerce ignores Basic auth over http anyway. Use the store's https URL" +
        (isLoopback(base.hostname)
          ? ', or --allow-insecure-loopback for a store on this machine'
          : ' (--allow-insecure-loopback only applies to localhost)') +
        '; or leave out the key and secret (most stores serve the index to anyone), or save the index and pass --index FILE.',
    );
  }
  const url = new URL(`${base.pathname.replace(/\/$/, '')}${API_PREFIX}`, base);
  url.searchParams.set('context', 'help');
  const headers: Record<string, string> = { accept: 'application/json' };
  if (credentials)
    headers.authorization = `Basic ${Buffer.from(`${credentials.key}:${credentials.secret}`).toString('base64')}`;
  let res: Response;
  try {
    // Never follow: a redirect would take the Authorization header along (or drop https).
    res = await fetch(url, {
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    throw new Error(`Could not reach ${url.origin}${url.pathname}: ${(error as Error).message}`);
  }
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel();
    const location = res.headers.get('location');
    let target = '(no Location)';
    if (location) {
      try {
        target = shown(new URL(location, url));
      } catch {
        target = '(an invalid Location)';
      }
    }
    throw new Error(
      `${url.origin}${url.pathname}?context=help answered ${res.status} redirecting to ${target}; not followed ` +
        '(the credentials would go along): use the final store URL as --store.',
    );
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(
      `${url.origin}${url.pathname}?context=help answered ${res.status}: is it a WooCommerce store root?`,
    );
  }
  // A route index is ~0.5 MB (WooCommerce 11.0.1); a store, proxy or page that sends far more is not one.
  const { text, truncated } = await readAtMost(res, MAX_INDEX_BYTES);
  if (truncated)
    throw new Error(
      `${url.origin}${url.pathname}?context=help answered more than ${MAX_INDEX_BYTES / 2 ** 20} MiB (a route index is about 0.5 MB): is --store the store's root URL? Or save the index and pass --index FILE.`,
    );
  let index: unknown;
  try {
    index = JSON.parse(text);
  } catch {
    throw new Error(
      `${url.origin}${url.pathname}?context=help answered ${res.headers.get('content-type') ?? 'a body'} that is not JSON (${JSON.stringify(text.slice(0, 60))}...): is --store a WooCommerce store root, with pretty permalinks?`,
    );
  }
  return checkIndex(index, `${url.origin}${url.pathname}`);
}
