import type { IncomingHttpHeaders } from 'node:http';
import type { OpenApiDoc } from './spec.js';

// What the proxy hands Prism to judge, when the request WordPress runs is not the one on the wire: a POST that names
// another method (`_method`, X-HTTP-Method-Override) and a form-encoded body. The store always gets the bytes the
// client sent (see upstream.ts, Exchange); only Prism's copy changes.

const OVERRIDABLE = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']);

/**
 * The method WordPress runs (`WP_REST_Server::serve_request`): on a POST, the `_method` query parameter, else the
 * X-HTTP-Method-Override header, when it names a method; otherwise the method on the wire.
 */
export function effectiveMethod(method: string, url: string, headers: IncomingHttpHeaders): string {
  if (method !== 'POST') return method;
  const query = new URL(url, 'http://x').searchParams.get('_method');
  const header = headers['x-http-method-override'];
  const named = (query ?? (typeof header === 'string' ? header : undefined))?.trim().toUpperCase();
  return named && OVERRIDABLE.has(named) ? named : method;
}

export const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(?:;|$)/i;

type Form = { [key: string]: FormValue };
type FormValue = string | Form | FormValue[];

function decodePart(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * A form body as PHP's `parse_str` reads it: `a[b][c]=1` nests, `a[]=1&a[]=2` appends, `.` and spaces in the
 * top-level name become `_`; objects whose keys are all indexes become lists (as `wp_is_numeric_array` sees them).
 */
export function parseForm(body: string): Form {
  const root: Form = {};
  for (const pair of body.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodePart(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decodePart(pair.slice(eq + 1));
    const open = name.indexOf('[');
    const head = (open > 0 ? name.slice(0, open) : name).replace(/[ .]/g, '_');
    if (head === '') continue;
    const keys: string[] = [head];
    if (open > 0) {
      const rest = name.slice(open);
      const parts = [...rest.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] ?? '');
      keys.push(...parts);
    }
    let node: Form = root;
    for (let i = 0; i < keys.length; i++) {
      let key = keys[i] as string;
      if (key === '') key = String(Object.keys(node).length);
      if (i === keys.length - 1) node[key] = value;
      else {
        const next = node[key];
        if (next === undefined || typeof next === 'string' || Array.isArray(next)) node[key] = {};
        node = node[key] as Form;
      }
    }
  }
  return listify(root) as Form;
}

function listify(value: FormValue): FormValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const out: Form = {};
  for (const key of keys) out[key] = listify(value[key] as FormValue);
  if (keys.length > 0 && keys.every((k) => /^(0|[1-9]\d*)$/.test(k)))
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => out[k] as FormValue);
  return out;
}

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema nodes of the bundle, walked generically
type Schema = any;

function resolve(doc: OpenApiDoc, schema: Schema, depth = 0): Schema {
  let node = schema;
  while (node && typeof node.$ref === 'string' && node.$ref.startsWith('#/') && depth++ < 32) {
    node = node.$ref
      .slice(2)
      .split('/')
      .reduce((o: Schema, k: string) => o?.[k.replaceAll('~1', '/').replaceAll('~0', '~')], doc as Schema);
  }
  return node;
}

function typesOf(doc: OpenApiDoc, schema: Schema, depth = 0): Set<string> {
  const types = new Set<string>();
  const node = resolve(doc, schema);
  if (!node || typeof node !== 'object' || depth > 8) return types;
  if (typeof node.type === 'string') types.add(node.type);
  if (Array.isArray(node.type)) for (const t of node.type) types.add(t);
  if (node.properties) types.add('object');
  if (node.items) types.add('array');
  for (const key of ['oneOf', 'anyOf', 'allOf'])
    for (const branch of node[key] ?? []) for (const t of typesOf(doc, branch, depth + 1)) types.add(t);
  return types;
}

/** The sub-schemas that may describe `key` of an object schema (properties, through allOf/oneOf/anyOf). */
function propertySchemas(doc: OpenApiDoc, schema: Schema, key: string, depth = 0): Schema[] {
  const node = resolve(doc, schema);
  if (!node || typeof node !== 'object' || depth > 8) return [];
  const out: Schema[] = [];
  if (node.properties?.[key] !== undefined) out.push(node.properties[key]);
  else if (node.additionalProperties && typeof node.additionalProperties === 'object')
    out.push(node.additionalProperties);
  for (const k of ['oneOf', 'anyOf', 'allOf'])
    for (const branch of node[k] ?? []) out.push(...propertySchemas(doc, branch, key, depth + 1));
  return out;
}

function itemSchemas(doc: OpenApiDoc, schema: Schema, depth = 0): Schema[] {
  const node = resolve(doc, schema);
  if (!node || typeof node !== 'object' || depth > 8) return [];
  const out: Schema[] = node.items && typeof node.items === 'object' ? [node.items] : [];
  for (const k of ['oneOf', 'anyOf', 'allOf'])
    for (const branch of node[k] ?? []) out.push(...itemSchemas(doc, branch, depth + 1));
  return out;
}

/**
 * A form value typed as WordPress types it against the route's schema (`rest_sanitize_value_from_schema`): form
 * values are strings, so `"5"` is an integer where the schema asks for one, `"true"`/`"1"` a boolean, a string a
 * comma-separated list where a list is asked for. A string the schema takes as a string stays one.
 */
export function coerceForm(doc: OpenApiDoc, value: FormValue, schemas: Schema[]): unknown {
  const types = new Set<string>();
  for (const s of schemas) for (const t of typesOf(doc, s)) types.add(t);
  if (typeof value === 'string') {
    if (types.size === 0 || types.has('string')) return value;
    if (types.has('integer') && /^-?\d+$/.test(value)) return Number(value);
    if (types.has('number') && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
    if (types.has('boolean') && /^(true|false|1|0|)$/i.test(value))
      return !(value === '' || value === '0' || value.toLowerCase() === 'false');
    if (types.has('null') && value === '') return null;
    if (types.has('array')) {
      const items = schemas.flatMap((s) => itemSchemas(doc, s));
      return value
        .split(/[\s,]+/)
        .filter((v) => v !== '')
        .map((v) => coerceForm(doc, v, items));
    }
    return value;
  }
  if (Array.isArray(value)) {
    const items = schemas.flatMap((s) => itemSchemas(doc, s));
    return value.map((v) => coerceForm(doc, v, items));
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value))
    out[key] = coerceForm(
      doc,
      v,
      schemas.flatMap((s) => propertySchemas(doc, s, key)),
    );
  return out;
}

const shapeOf = (template: string) =>
  new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);

/** The JSON request-body schema of the operation a (mounted) path and method resolve to, if any. */
export function requestSchema(doc: OpenApiDoc, method: string, pathname: string): Schema | undefined {
  const candidates = Object.keys(doc.paths ?? {})
    .filter((template) => shapeOf(template).test(pathname))
    // The most literal template wins (`/products/batch` over `/products/{id}`).
    .sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0));
  for (const template of candidates) {
    const item = resolve(doc, (doc.paths as Record<string, Schema>)[template]);
    const op = resolve(doc, item?.[method.toLowerCase()]);
    if (!op) continue;
    const body = resolve(doc, op.requestBody);
    return body?.content?.['application/json']?.schema;
  }
  return undefined;
}

/**
 * A form body as the JSON body WordPress sees: parsed as PHP does, typed by the operation's schema. Prism judges
 * that JSON; the store gets the form bytes.
 */
export function formAsJson(doc: OpenApiDoc, method: string, pathname: string, body: Buffer): Buffer {
  const form = parseForm(body.toString('utf8'));
  const schema = requestSchema(doc, method, pathname);
  return Buffer.from(JSON.stringify(schema ? coerceForm(doc, form, [schema]) : form));
}
