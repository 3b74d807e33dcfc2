// `wooapi diff --emit-overlay`: a draft overlay from a store's route index, through the one compare engine
// (@wooapi/spec/compare). Plugin routes and fields come first as actions; WooCommerce's own declared-schema
// differences (names the spec already knows elsewhere: the spec follows recorded answers there) come after, as
// comments. Every drafted action says it was drafted from the declaration, so the user checks it against real
// answers before trusting it.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import {
  type Comparison,
  compareIndex,
  type RouteIndex,
  routeToPath,
  type StoreRoute,
} from '@wooapi/spec/compare';
import { stringify } from 'yaml';
import { CliError } from './errors.js';
import type { Overlay, OverlayAction } from './overlay.js';
import { readBaseSpec } from './spec.js';

type Json = Record<string, unknown>;
type WpSchema = Json & { type?: unknown; properties?: Record<string, WpSchema>; items?: WpSchema };

const DRAFTED =
  "Drafted from the store's declared schema (GET /wp-json/wc/v3?context=help): check it against a real answer.";
const HTTP = ['get', 'post', 'put', 'patch', 'delete'] as const;

const pascal = (s: string) =>
  s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
const singular = (s: string) =>
  /ies$/.test(s) ? s.replace(/ies$/, 'y') : /ses$/.test(s) ? s.replace(/es$/, '') : s.replace(/s$/, '');
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A WordPress REST argument/property schema as an OpenAPI 3.1 schema (draft: the keys both understand). */
export function toOpenApiSchema(wp: WpSchema): Json {
  const out: Json = {};
  if (wp.type !== undefined) out.type = wp.type === 'mixed' ? undefined : wp.type;
  if (out.type === undefined) delete out.type;
  for (const key of [
    'description',
    'format',
    'enum',
    'minimum',
    'maximum',
    'pattern',
    'minItems',
    'maxItems',
  ]) {
    if (wp[key] !== undefined) out[key] = wp[key];
  }
  if (wp.default !== undefined && typeof wp.default !== 'object') out.default = wp.default;
  if (wp.readonly === true) out.readOnly = true;
  if (isObject(wp.items)) out.items = toOpenApiSchema(wp.items as WpSchema);
  if (isObject(wp.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(wp.properties).map(([k, v]) => [k, toOpenApiSchema(v)]),
    );
  }
  return out;
}

/** Every property name the document's schemas declare anywhere: a store property outside it is a plugin's. */
function knownNames(doc: Json): Set<string> {
  const names = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (isObject(node)) {
      if (isObject(node.properties)) for (const k of Object.keys(node.properties)) names.add(k);
      if (node.in === 'query' && typeof node.name === 'string') names.add(node.name);
      for (const v of Object.values(node)) walk(v);
    }
  };
  walk(doc);
  return names;
}

/** The components.schemas name the spec's GET (else first) operation on `specPath` answers with. */
function answeringSchema(doc: Json, specPath: string): string | null {
  const item = (doc.paths as Record<string, Json>)[specPath] ?? {};
  for (const method of ['get', ...HTTP]) {
    const op = item[method] as Json | undefined;
    const responses = (op?.responses ?? {}) as Record<string, Json>;
    for (const code of ['200', '201']) {
      let schema = ((responses[code]?.content as Json | undefined)?.['application/json'] as Json | undefined)
        ?.schema as Json | undefined;
      if (schema?.type === 'array' && isObject(schema.items)) schema = schema.items;
      const ref =
        typeof schema?.$ref === 'string' ? /^#\/components\/schemas\/([^/]+)$/.exec(schema.$ref) : null;
      if (ref) return ref[1]!;
    }
  }
  return null;
}

function tagFor(doc: Json, path: string): string | undefined {
  const first = path.split('/').filter(Boolean)[0];
  for (const [p, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    if (p.split('/').filter(Boolean)[0] !== first) continue;
    for (const m of HTTP) {
      const tags = (item[m] as Json | undefined)?.tags;
      if (Array.isArray(tags) && typeof tags[0] === 'string') return tags[0];
    }
  }
  return ((doc.tags as Array<{ name: string }> | undefined) ?? [])[0]?.name;
}

function draftRoute(doc: Json, route: StoreRoute, info: RouteIndex['routes'][string]): OverlayAction[] {
  const components = (doc.components ?? {}) as Record<string, Json>;
  const responses = components.responses ?? {};
  const headers = components.headers ?? {};
  const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });
  const segments = route.path.split('/').filter(Boolean);
  const statics = segments.filter((s) => !s.startsWith('{'));
  const params = segments.filter((s) => s.startsWith('{')).map((s) => s.slice(1, -1));
  const isCollection = !segments.at(-1)?.startsWith('{');
  const last = statics.at(-1) ?? 'item';
  const resource = singular(last)
    .replace(/[^a-z_]/gi, '_')
    .toLowerCase();
  const nameParts = statics.map((s, i) => (i === statics.length - 1 ? s : singular(s)));
  const schemaName = pascal(nameParts.map(singular).join(' '));
  const actions: OverlayAction[] = [];
  const wpSchema = info.schema as WpSchema | undefined;
  const hasSchema = isObject(wpSchema?.properties);
  if (hasSchema) {
    actions.push({
      target: '$.components.schemas',
      description: `Schema ${schemaName} of ${route.path}. ${DRAFTED}`,
      update: {
        [schemaName]: {
          ...toOpenApiSchema({ ...wpSchema, type: 'object' } as WpSchema),
          description: `${schemaName} (${route.path}), drafted from the store's declaration.`,
        },
      },
    } as OverlayAction);
  }
  const body = hasSchema ? ref('schemas', schemaName) : { type: 'object' };
  const item: Json = {};
  const tag = tagFor(doc, route.path);
  for (const op of route.operations) {
    const methods = op.methods.map((m) => m.toLowerCase());
    const method = methods.includes('put') ? 'put' : methods[0]!;
    if (!(HTTP as readonly string[]).includes(method)) continue;
    const verb =
      method === 'get'
        ? isCollection
          ? 'list'
          : 'get'
        : method === 'post'
          ? 'create'
          : method === 'delete'
            ? 'delete'
            : 'update';
    const opName = verb === 'list' ? pascal(nameParts.join(' ')) : schemaName;
    const endpoint = (info.endpoints ?? []).find((e) => e.methods.some((m) => op.methods.includes(m)));
    const args = Object.entries((endpoint?.args ?? {}) as Record<string, WpSchema>).filter(
      ([n]) => !params.includes(n),
    );
    const success = verb === 'list' ? { type: 'array', items: body } : body;
    const ok: Json = {
      description: `${verb === 'list' ? 'A page of' : 'The'} ${last} (drafted).`,
      content: { 'application/json': { schema: success } },
    };
    if (verb === 'list' && headers['X-WP-Total'] && headers['X-WP-TotalPages'] && headers.Link) {
      ok.headers = {
        'X-WP-Total': ref('headers', 'X-WP-Total'),
        'X-WP-TotalPages': ref('headers', 'X-WP-TotalPages'),
        Link: ref('headers', 'Link'),
      };
    }
    const operation: Json = {
      operationId: `${verb}${opName}`,
      summary: `${verb[0]!.toUpperCase()}${verb.slice(1)} ${route.path} (drafted)`,
      description: DRAFTED,
      ...(tag ? { tags: [tag] } : {}),
      'x-wc-permission': method === 'get' ? 'read' : 'write',
      'x-wc-resource': resource,
      'x-wc-webhook-event': null,
      parameters: [
        ...params.map((p) => ({
          name: p,
          in: 'path',
          required: true,
          schema: { type: /id$/.test(p) ? 'integer' : 'string' },
        })),
        ...(method === 'get' || method === 'delete'
          ? args.map(([n, s]) => ({
              name: n,
              in: 'query',
              required: s.required === true,
              schema: toOpenApiSchema(s),
            }))
          : []),
      ],
      ...(method !== 'get' && method !== 'delete' && args.length > 0
        ? {
            requestBody: {
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: Object.fromEntries(args.map(([n, s]) => [n, toOpenApiSchema(s)])),
                  },
                },
              },
            },
          }
        : {}),
      responses: {
        [verb === 'create' ? '201' : '200']: ok,
        ...(responses.Unauthorized
          ? { '401': ref('responses', 'Unauthorized') }
          : { '401': { description: 'Not authorised.' } }),
        ...(params.length > 0 ? (responses.NotFound ? { '404': ref('responses', 'NotFound') } : {}) : {}),
        ...(responses.TooManyRequests ? { '429': ref('responses', 'TooManyRequests') } : {}),
      },
    };
    // WordPress serves an update with POST, PUT and PATCH alike; the spec documents PUT and declares the others.
    if (method === 'put') {
      const aliases = methods.filter((m) => m === 'post' || m === 'patch').sort();
      if (aliases.length > 0) operation['x-wc-method-aliases'] = aliases;
    }
    if ((operation.parameters as unknown[]).length === 0) delete operation.parameters;
    item[method] = operation;
  }
  actions.push({
    target: '$.paths',
    description: `Route ${route.path} (${route.methods.join(', ')}). ${DRAFTED}`,
    update: { [route.path]: item },
  });
  return actions;
}

export interface DraftResult {
  overlay: Overlay;
  /** WooCommerce's own declared-schema differences, for the comments after the actions. */
  noise: string[];
  text: string;
}

/** The draft overlay for a comparison of `doc` with `index`. */
export function draftOverlay(doc: Json, index: RouteIndex, source: string): DraftResult {
  const comparison: Comparison = compareIndex(doc, index);
  const known = knownNames(doc);
  const routeActions: OverlayAction[] = [];
  const fieldActions: OverlayAction[] = [];
  const noise: string[] = [];
  const fieldsBySchema = new Map<string, Map<string, { schema: Json; routes: string[] }>>();
  const infoByPath = new Map(
    Object.entries(index.routes).map(([r, info]) => [routeToPath(r, comparison.namespace), info]),
  );
  const infoFor = (path: string) => infoByPath.get(path);
  for (const route of comparison.routes) {
    const info = infoFor(route.path);
    if (!route.specPath) {
      if (info) routeActions.push(...draftRoute(doc, route, info));
      continue;
    }
    for (const name of route.properties?.storeOnly ?? []) {
      const schemaName = answeringSchema(doc, route.specPath);
      const wp = (info?.schema as WpSchema | undefined)?.properties?.[name];
      if (!schemaName || !wp || known.has(name)) {
        noise.push(`property ${name} of ${route.properties?.method} ${route.path}'s resource`);
        continue;
      }
      const bucket = fieldsBySchema.get(schemaName) ?? new Map();
      fieldsBySchema.set(schemaName, bucket);
      const entry = bucket.get(name) ?? { schema: toOpenApiSchema(wp), routes: [] };
      entry.routes.push(route.path);
      bucket.set(name, entry);
    }
    for (const op of route.operations) {
      for (const arg of op.params?.storeOnly ?? []) {
        noise.push(
          `parameter ${arg} of ${op.label} ${route.path}${known.has(arg) ? '' : ' (not known to the spec: a plugin argument?)'}`,
        );
      }
    }
  }
  for (const [schemaName, fields] of fieldsBySchema) {
    for (const [name, { schema, routes }] of fields) {
      fieldActions.push({
        target: `$.components.schemas.${schemaName}.properties`,
        description: `Field ${name} of ${schemaName} (declared on ${[...new Set(routes)].join(', ')}). ${DRAFTED}`,
        update: { [name]: schema },
      });
    }
  }
  const overlay: Overlay = {
    overlay: '1.0.0',
    info: { title: `Draft overlay for ${source}`, version: '0.0.1' },
    actions: [...routeActions, ...fieldActions].map(
      (a) => ({ ...a, 'x-wooapi-drafted': 'declaration' }) as OverlayAction,
    ),
  };
  const head =
    `# Drafted by \`wooapi diff\` from ${source}: the store's routes and fields that the spec lacks.\n` +
    '# Every action is drafted from what the store declares (its route index), not from a real answer: check each\n' +
    '# against a response of your store, then run `wooapi generate --overlay <this file> --out src/woo/`.\n' +
    `# ${routeActions.length} action(s) for plugin routes, ${fieldActions.length} for plugin fields.\n`;
  const tail =
    noise.length > 0
      ? `\n# WooCommerce's own declared schema differs from the spec in ${noise.length} place(s) below. The spec follows\n` +
        "# what WooCommerce 11.0.1 really sends there, so these are left out; add one only if your store's answers show it.\n" +
        noise.map((n) => `#   - ${n}`).join('\n') +
        '\n'
      : '';
  const body =
    overlay.actions.length > 0
      ? stringify(overlay, { lineWidth: 0 })
      : stringify({ ...overlay, actions: [] });
  return { overlay, noise, text: `${head}${body}${tail}` };
}

export interface DraftOptions {
  store?: string;
  index?: string;
  key?: string;
  secret?: string;
  spec?: string;
  emit: string;
  log?: (line: string) => void;
}

async function fetchIndex(store: string, key?: string, secret?: string): Promise<RouteIndex> {
  let base: URL;
  try {
    base = new URL(store);
  } catch {
    throw new CliError(
      `--store is not a URL: ${JSON.stringify(store)} (the store root, e.g. https://shop.example.com).`,
      2,
    );
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (key && secret) {
    // Basic credentials go over https only (or to a store on this machine): never in clear text over a network.
    if (base.protocol !== 'https:' && !loopback) {
      throw new CliError(
        `Refusing to send the key and secret over ${base.protocol} to ${base.host}: use the store's https:// URL.`,
        2,
      );
    }
    headers.authorization = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
  }
  const url = new URL(`${base.pathname.replace(/\/$/, '')}/wp-json/wc/v3`, base);
  url.searchParams.set('context', 'help');
  let res: Response;
  try {
    res = await fetch(url, { headers, redirect: 'error', signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new CliError(
      `Could not read ${url.origin}${url.pathname}?context=help: ${(error as Error).message}`,
    );
  }
  if (!res.ok)
    throw new CliError(
      `${url.origin}${url.pathname}?context=help answered ${res.status}: is ${store} a WooCommerce store root?`,
    );
  // A route index is ~0.5 MB; a store, proxy or page that answers far more (or a gzip bomb: Content-Length counts the
  // compressed bytes) is not read past the cap.
  const chunks: Uint8Array[] = [];
  const reader = res.body?.getReader();
  for (let size = 0; reader; ) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_INDEX_BYTES) {
      await reader.cancel().catch(() => {});
      throw new CliError(
        `${url.origin}${url.pathname}?context=help answered more than ${MAX_INDEX_BYTES / 2 ** 20} MiB (a route index is about 0.5 MB): is ${store} the store's root? Or save the index and pass --index FILE.`,
      );
    }
    chunks.push(value);
  }
  let value: unknown = null;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {}
  return checkIndex(value, `${url.origin}${url.pathname}`);
}

/** The largest route index read from a store: 32 MiB, 64 times WooCommerce 11.0.1's. */
const MAX_INDEX_BYTES = 32 * 2 ** 20;

function checkIndex(value: unknown, source: string): RouteIndex {
  if (!isObject(value) || !isObject(value.routes)) {
    throw new CliError(
      `${source} is not a route index: expected the JSON of GET /wp-json/wc/v3?context=help, with a "routes" object.`,
    );
  }
  return value as unknown as RouteIndex;
}

export async function draftFromStore(options: DraftOptions): Promise<DraftResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (Boolean(options.store) === Boolean(options.index))
    throw new CliError('wooapi diff needs exactly one of --store URL or --index FILE.', 2);
  let index: RouteIndex;
  let source: string;
  if (options.index) {
    source = options.index;
    let text: string;
    try {
      text = readFileSync(options.index, 'utf8');
    } catch (error) {
      throw new CliError(
        `${options.index}: cannot read the route index (${(error as NodeJS.ErrnoException).code}).`,
      );
    }
    try {
      index = checkIndex(JSON.parse(text), options.index);
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(`${options.index}: not JSON (${(error as Error).message}).`);
    }
  } else {
    source = new URL(options.store as string).origin;
    index = await fetchIndex(options.store as string, options.key, options.secret);
  }
  const base = readBaseSpec(options.spec);
  const draft = draftOverlay(base.doc, index, source);
  const tmp = `${options.emit}.${process.pid}.tmp`;
  writeFileSync(tmp, draft.text);
  renameSync(tmp, options.emit);
  log(
    `wooapi diff: ${source} against ${base.label}: drafted ${draft.overlay.actions.length} action(s) -> ${options.emit}` +
      ` (${draft.noise.length} WooCommerce declared-schema difference(s) listed as comments after them)`,
  );
  for (const a of draft.overlay.actions) log(`  ${a.description?.replace(` ${DRAFTED}`, '')}`);
  return draft;
}
