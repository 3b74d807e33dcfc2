import { readFile } from 'node:fs/promises';
import { API_PREFIX, type OpenApiDoc } from './spec.js';

/** A store's route index: `GET /wp-json/wc/v3?context=help`. */
export interface RouteIndex {
  namespace?: string;
  routes: Record<string, { methods?: string[]; endpoints?: IndexEndpoint[]; schema?: JsonSchema }>;
}

interface IndexEndpoint {
  methods: string[];
  args?: Record<string, unknown>;
}

type JsonSchema = {
  $ref?: string;
  type?: unknown;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  allOf?: JsonSchema[];
  [k: string]: unknown;
};

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

const INTERNAL = /^\/(marketplace|paypal-[^/]*)(\/|$)/;
const UPDATE_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** `/wc/v3/products/(?P<product_id>[\d]+)/variations` -> `/products/{product_id}/variations` */
export function routeToPath(route: string, namespace = 'wc/v3'): string {
  const prefix = `/${namespace}`;
  const rest = route.startsWith(prefix) ? route.slice(prefix.length) : route;
  return rest.replace(/\(\?P<([^>]+)>(?:[^()]|\([^()]*\))*\)/g, '{$1}') || '/';
}

/** The shape of a path, parameter names left out: `/products/{}/variations`. */
const shape = (path: string) => path.replace(/\{[^}]+\}/g, '{}');
const pathParams = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);

function resolve(doc: OpenApiDoc, node: unknown): Record<string, unknown> | undefined {
  let current = node as Record<string, unknown> | undefined;
  for (let i = 0; current && typeof current.$ref === 'string' && i < 20; i++) {
    const ref = current.$ref as string;
    if (!ref.startsWith('#/')) return undefined;
    current = ref
      .slice(2)
      .split('/')
      .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce<unknown>((o, key) => (o as Record<string, unknown> | undefined)?.[key], doc) as
      | Record<string, unknown>
      | undefined;
  }
  return current;
}

/**
 * Top-level property names of a schema, through $ref, allOf/oneOf/anyOf and arrays. For a request body
 * (`writable`), readOnly properties are left out: the store does not take them as arguments.
 */
function propertyNames(doc: OpenApiDoc, node: unknown, writable = false, depth = 0): Set<string> {
  const names = new Set<string>();
  const schema = resolve(doc, node) as JsonSchema | undefined;
  if (!schema || depth > 10) return names;
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    if (writable && (resolve(doc, prop) as JsonSchema | undefined)?.readOnly === true) continue;
    names.add(key);
  }
  for (const part of [
    ...((schema.allOf as unknown[]) ?? []),
    ...((schema.oneOf as unknown[]) ?? []),
    ...((schema.anyOf as unknown[]) ?? []),
  ]) {
    for (const key of propertyNames(doc, part, writable, depth + 1)) names.add(key);
  }
  const isArray = schema.type === 'array' || (Array.isArray(schema.type) && schema.type.includes('array'));
  if (isArray && schema.items)
    for (const key of propertyNames(doc, schema.items, writable, depth + 1)) names.add(key);
  return names;
}

/** The property schema `name` of a body schema, through $ref and allOf. */
function bodyProperty(doc: OpenApiDoc, node: unknown, name: string, depth = 0): unknown {
  const schema = resolve(doc, node) as JsonSchema | undefined;
  if (!schema || depth > 10) return undefined;
  if (schema.properties?.[name]) return schema.properties[name];
  for (const part of (schema.allOf as unknown[]) ?? []) {
    const found = bodyProperty(doc, part, name, depth + 1);
    if (found) return found;
  }
  return undefined;
}

interface SpecOperation {
  method: string;
  params: Set<string>;
  bodyProps: Set<string>;
  responseProps: Set<string>;
}

function specOperations(doc: OpenApiDoc, path: string): SpecOperation[] {
  const item = resolve(doc, doc.paths?.[path]) ?? {};
  const shared = ((item.parameters as unknown[]) ?? []).map((p) => resolve(doc, p));
  const ops: SpecOperation[] = [];
  for (const method of HTTP_METHODS) {
    const op = resolve(doc, item[method]);
    if (!op) continue;
    const params = new Set<string>();
    for (const p of [...shared, ...((op.parameters as unknown[]) ?? []).map((x) => resolve(doc, x))]) {
      if (p && (p.in === 'query' || p.in === 'path') && typeof p.name === 'string') params.add(p.name);
    }
    const body = resolve(doc, op.requestBody) as
      | { content?: Record<string, { schema?: unknown }> }
      | undefined;
    const bodyProps = new Set<string>();
    for (const media of Object.values(body?.content ?? {})) {
      const names = propertyNames(doc, media.schema, true);
      // A batch body is {create, update, delete}; the store lists the arguments of a created item for it.
      const isBatch = names.has('create') || names.has('update') || names.has('delete');
      const own = isBatch ? propertyNames(doc, bodyProperty(doc, media.schema, 'create'), true) : names;
      for (const n of own) if (n !== '_links') bodyProps.add(n);
    }
    const responseProps = new Set<string>();
    const responses = (op.responses ?? {}) as Record<string, unknown>;
    const ok = resolve(doc, responses['200'] ?? responses['201']) as
      | { content?: Record<string, { schema?: unknown }> }
      | undefined;
    for (const media of Object.values(ok?.content ?? {}))
      for (const n of propertyNames(doc, media.schema)) responseProps.add(n);
    ops.push({ method: method.toUpperCase(), params, bodyProps, responseProps });
  }
  return ops;
}

/** A spec operation covers a store endpoint when it has one of its methods (updates take POST, PUT and PATCH alike). */
function coveringOperation(endpoint: IndexEndpoint, ops: SpecOperation[]): SpecOperation | undefined {
  const methods = endpoint.methods.map((m) => m.toUpperCase());
  return ops.find((op) => methods.includes(op.method));
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

export function diffIndex(index: RouteIndex, doc: OpenApiDoc, options: DiffOptions = {}): DiffResult {
  const namespace = index.namespace ?? 'wc/v3';
  const result: DiffResult = { storeOnly: [], specOnly: [], matched: [], ignored: [] };
  const specByShape = new Map<string, string>();
  for (const path of Object.keys(doc.paths ?? {})) specByShape.set(shape(path), path);
  const seenSpec = new Set<string>();

  for (const [route, info] of Object.entries(index.routes)) {
    const storePath = routeToPath(route, namespace);
    if (storePath === '/') continue; // the namespace index itself
    if (!options.includeInternal && INTERNAL.test(storePath)) {
      result.ignored.push(storePath);
      continue;
    }
    const specPath = specByShape.get(shape(storePath));
    if (!specPath) {
      result.storeOnly.push({ kind: 'route', path: storePath, detail: (info.methods ?? []).join(', ') });
      continue;
    }
    seenSpec.add(specPath);
    result.matched.push(specPath);
    const storeNames = pathParams(storePath);
    const specNames = pathParams(specPath);
    if (storeNames.join() !== specNames.join()) {
      result.storeOnly.push({
        kind: 'path-parameter-name',
        path: specPath,
        detail: `the store names them ${storePath}`,
      });
    }
    const ops = specOperations(doc, specPath);
    const endpoints = info.endpoints ?? [];
    const covered = new Set<SpecOperation>();
    for (const endpoint of endpoints) {
      const op = coveringOperation(endpoint, ops);
      const methods = endpoint.methods.map((m) => m.toUpperCase());
      if (!op) {
        result.storeOnly.push({ kind: 'method', path: specPath, method: methods.join('|') });
        continue;
      }
      covered.add(op);
      // Update verbs are aliases of one another; the rest should each be documented.
      for (const m of methods) {
        if (
          m !== op.method &&
          !(UPDATE_METHODS.has(m) && UPDATE_METHODS.has(op.method)) &&
          !ops.some((o) => o.method === m)
        ) {
          result.storeOnly.push({ kind: 'method', path: specPath, method: m });
        }
      }
      const specNames = new Set([...op.params, ...op.bodyProps]);
      const storeArgs = Object.keys(endpoint.args ?? {});
      for (const arg of storeArgs) {
        if (!specNames.has(arg))
          result.storeOnly.push({ kind: 'parameter', path: specPath, method: op.method, name: arg });
      }
      for (const name of specNames) {
        if (!storeArgs.includes(name))
          result.specOnly.push({ kind: 'parameter', path: specPath, method: op.method, name });
      }
    }
    for (const op of ops) {
      if (!covered.has(op)) result.specOnly.push({ kind: 'method', path: specPath, method: op.method });
    }
    // The declared resource schema against what the spec's GET (or first) operation answers with.
    // WordPress adds `_links` to every answer without declaring it, so it is not a difference.
    const declared = Object.keys(info.schema?.properties ?? {});
    const answered = (o: SpecOperation) => [...o.responseProps].filter((p) => p !== '_links');
    const answering =
      ops.find((o) => o.method === 'GET' && o.responseProps.size > 0) ??
      ops.find((o) => o.responseProps.size > 0);
    if (declared.length > 0 && answering) {
      for (const prop of declared) {
        if (!answering.responseProps.has(prop))
          result.storeOnly.push({ kind: 'property', path: specPath, method: answering.method, name: prop });
      }
      for (const prop of answered(answering)) {
        if (!declared.includes(prop))
          result.specOnly.push({ kind: 'property', path: specPath, method: answering.method, name: prop });
      }
    }
  }
  for (const path of Object.keys(doc.paths ?? {})) {
    if (!seenSpec.has(path)) result.specOnly.push({ kind: 'route', path });
  }
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

/** Fetches a store's route index. Credentials go in a Basic header and never into messages. */
export async function fetchIndex(
  store: string,
  credentials?: { key: string; secret: string },
): Promise<RouteIndex> {
  let base: URL;
  try {
    base = new URL(store);
  } catch {
    throw new Error(
      `--store is not a URL: ${JSON.stringify(store)} (expected the store root, e.g. https://shop.example.com)`,
    );
  }
  const url = new URL(`${base.pathname.replace(/\/$/, '')}${API_PREFIX}`, base);
  url.searchParams.set('context', 'help');
  const headers: Record<string, string> = { accept: 'application/json' };
  if (credentials)
    headers.authorization = `Basic ${Buffer.from(`${credentials.key}:${credentials.secret}`).toString('base64')}`;
  let res: Response;
  try {
    res = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new Error(`Could not reach ${url.origin}${url.pathname}: ${(error as Error).message}`);
  }
  if (!res.ok)
    throw new Error(
      `${url.origin}${url.pathname}?context=help answered ${res.status}: is it a WooCommerce store root?`,
    );
  return checkIndex(await res.json(), `${url.origin}${url.pathname}`);
}
