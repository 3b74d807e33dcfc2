// The one comparison of a WooCommerce store's route index (`GET /wp-json/wc/v3?context=help`) with an OpenAPI
// document. `pnpm spec:coverage` (scripts/coverage.mjs) and `wooapi-mock diff` (@wooapi/mock) both read its result;
// each only counts and words it. Plain ESM without dependencies: the spec package has no TypeScript build
// (compare.d.mts holds the types).
import { pathMethods } from './aliases.mjs';
import { resolveRef } from './ref.mjs';

const UPDATE_METHODS = ['PUT', 'POST', 'PATCH'];
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const MAX_DEPTH = 10;

/** Store routes left out of the comparison, with the reason shown; `internal` ones come back with includeInternal. */
export const IGNORED_ROUTES = [
  {
    test: (path) => path === '/',
    reason: 'the namespace index (the self-description this report reads)',
    internal: false,
  },
  {
    test: (path) => /^\/marketplace(\/|$)/.test(path),
    reason: 'internal to the WooCommerce admin (marketplace/*)',
    internal: true,
  },
  {
    test: (path) => /^\/paypal-[^/]*(\/|$)/.test(path),
    reason: 'internal to the PayPal payments extension (paypal-*)',
    internal: true,
  },
];

/** `/wc/v3/orders/(?P<order_id>[\d]+)/notes` -> `/orders/{order_id}/notes`; the namespace itself -> `/`. */
export function routeToPath(route, namespace = 'wc/v3') {
  const prefix = `/${namespace}`;
  const rest = route.startsWith(prefix) ? route.slice(prefix.length) : route;
  // A named group's pattern may itself hold brackets and nested parentheses; walk to its closing parenthesis.
  let out = '';
  for (let i = 0; i < rest.length; ) {
    const close = rest.startsWith('(?P<', i) ? rest.indexOf('>', i) : -1;
    if (close === -1) {
      out += rest[i];
      i++;
      continue;
    }
    let depth = 0;
    let j = i;
    for (; j < rest.length; j++) {
      const c = rest[j];
      if (c === '\\') {
        j++;
        continue;
      }
      if (c === '[') {
        const end = rest.indexOf(']', j + 1);
        j = end === -1 ? rest.length : end;
        continue;
      }
      if (c === '(') depth++;
      if (c === ')' && --depth === 0) break;
    }
    out += `{${rest.slice(i + 4, close)}}`;
    i = j + 1;
  }
  return out || '/';
}

/** `/orders/{order_id}/notes/{id}` -> `/orders/{}/notes/{}`, to match paths whatever their parameters are called. */
export const pathShape = (path) => path.replace(/\{[^}]+\}/g, '{}');
const pathParams = (path) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);

/** `resolveRef` for the engine: objects only (a missing target or a boolean schema reads as absent). */
function makeResolver(doc) {
  return (node) => {
    const n = resolveRef(doc, node);
    return n && typeof n === 'object' ? n : undefined;
  };
}

/**
 * Top-level property names of a schema, through $ref, allOf/oneOf/anyOf and array items. With `writable` (a request
 * body), readOnly properties and WordPress's `_links` are left out: the store does not take them as arguments.
 */
function propertyNames(resolve, node, writable, depth = 0, names = new Set()) {
  const schema = resolve(node);
  if (!schema || depth > MAX_DEPTH) return names;
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    if (writable && (key === '_links' || resolve(prop)?.readOnly === true)) continue;
    names.add(key);
  }
  for (const part of [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])])
    propertyNames(resolve, part, writable, depth + 1, names);
  const isArray = schema.type === 'array' || (Array.isArray(schema.type) && schema.type.includes('array'));
  if (isArray && schema.items) propertyNames(resolve, schema.items, writable, depth + 1, names);
  return names;
}

/** The schema of property `name` of a schema, through $ref and allOf. */
function propertySchema(resolve, node, name, depth = 0) {
  const schema = resolve(node);
  if (!schema || depth > MAX_DEPTH) return undefined;
  if (schema.properties?.[name]) return schema.properties[name];
  for (const part of schema.allOf ?? []) {
    const found = propertySchema(resolve, part, name, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * The argument names a request body takes. A batch body is `{create: [...], update: [...], delete: [...]}` and the
 * store lists an item's fields as the batch route's arguments: the create and update items' properties, less the
 * `id` an update item carries to say which item it updates (like `delete`, part of the batch, not of the item).
 */
function bodyNames(resolve, schema) {
  const itemsOf = (key) => resolve(propertySchema(resolve, schema, key))?.items;
  const create = itemsOf('create');
  const update = itemsOf('update');
  if (!create && !update) return propertyNames(resolve, schema, true);
  const names = create ? propertyNames(resolve, create, true) : new Set();
  if (update) for (const n of propertyNames(resolve, update, true)) if (n !== 'id') names.add(n);
  return names;
}

function specOperations(doc, resolve, path) {
  const item = resolve(doc.paths?.[path]) ?? {};
  const ops = [];
  for (const method of HTTP_METHODS) {
    const op = resolve(item[method]);
    if (!op) continue;
    const params = new Set();
    for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
      const r = resolve(p);
      if (r && (r.in === 'query' || r.in === 'path') && typeof r.name === 'string') params.add(r.name);
    }
    const body = new Set();
    for (const media of Object.values(resolve(op.requestBody)?.content ?? {}))
      for (const n of bodyNames(resolve, media.schema)) body.add(n);
    const response = new Set();
    const ok = resolve(op.responses?.['200'] ?? op.responses?.['201']);
    for (const media of Object.values(ok?.content ?? {}))
      for (const n of propertyNames(resolve, media.schema, false)) response.add(n);
    response.delete('_links'); // WordPress adds it to every answer without declaring it
    ops.push({
      method: method.toUpperCase(),
      operationId: typeof op.operationId === 'string' ? op.operationId : null,
      params: [...params],
      body: [...body],
      response,
    });
  }
  return ops;
}

/**
 * The store's operations: one per method of an endpoint, except that an endpoint's update methods (POST, PUT,
 * PATCH) are aliases and make one operation, shown as PUT (the method the spec documents updates with).
 */
function storeOperations(endpoints) {
  const ops = [];
  for (const endpoint of endpoints ?? []) {
    const methods = (endpoint.methods ?? []).map((m) => m.toUpperCase());
    const args = Object.keys(endpoint.args ?? {});
    const updates = methods.filter((m) => UPDATE_METHODS.includes(m));
    const folded = updates.length > 1;
    if (folded) {
      const main = updates.includes('PUT') ? 'PUT' : updates[0];
      const others = updates.filter((m) => m !== main).join(', ');
      ops.push({ method: main, methods: updates, label: `${main} (${others})`, args });
    }
    for (const m of methods)
      if (!(folded && updates.includes(m))) ops.push({ method: m, methods: [m], label: m, args });
  }
  return ops;
}

/** Store arguments the spec operation does not take, and the spec's inputs the store does not list. */
function compareInputs(op, specOp, storePath, specPath) {
  const storeNames = pathParams(storePath);
  const specNames = pathParams(specPath);
  // A path parameter the spec names differently is still the same parameter: match path names by position.
  const accepted = new Set([...specOp.params, ...specOp.body]);
  storeNames.forEach((n, i) => {
    if (specNames[i] && specOp.params.includes(specNames[i])) accepted.add(n);
  });
  const listed = new Set(op.args);
  specNames.forEach((n, i) => {
    if (storeNames[i] && listed.has(storeNames[i])) listed.add(n);
  });
  return {
    storeOnly: op.args.filter((a) => !accepted.has(a)),
    specOnly: [...new Set([...specOp.params, ...specOp.body])].filter((n) => !listed.has(n)),
  };
}

/** The resource schema the store declares for a route against what the spec's GET (else first) operation answers. */
function compareProperties(info, specOps) {
  const declared = Object.keys(info.schema?.properties ?? {});
  const answering =
    specOps.find((o) => o.method === 'GET' && o.response.size > 0) ??
    specOps.find((o) => o.response.size > 0);
  if (!declared.length || !answering) return null;
  return {
    method: answering.method,
    storeOnly: declared.filter((p) => !answering.response.has(p)),
    specOnly: [...answering.response].filter((p) => !declared.includes(p)),
  };
}

/**
 * Compares an OpenAPI document (bundled: only internal `#/` refs are followed) with a store's route index.
 * @param {object} doc the OpenAPI document
 * @param {object} index the store's `GET /wp-json/wc/v3?context=help` answer
 * @param {{ includeInternal?: boolean }} [options]
 */
export function compareIndex(doc, index, options = {}) {
  const resolve = makeResolver(doc);
  const namespace = index.namespace ?? 'wc/v3';
  const prefix = `/${namespace}`;
  const specPaths = Object.keys(doc.paths ?? {});
  const specByShape = new Map(specPaths.map((p) => [pathShape(p), p]));
  const opsCache = new Map();
  const opsOf = (p) => {
    if (!opsCache.has(p)) opsCache.set(p, specOperations(doc, resolve, p));
    return opsCache.get(p);
  };

  const ignored = [];
  const routes = [];
  const matched = new Set();
  for (const [route, info] of Object.entries(index.routes ?? {})) {
    const path = routeToPath(route, namespace);
    if (route !== prefix && !route.startsWith(`${prefix}/`)) {
      ignored.push({ path, reason: `outside the ${namespace} namespace`, internal: false });
      continue;
    }
    const rule = IGNORED_ROUTES.find((r) => r.test(path) && !(r.internal && options.includeInternal));
    if (rule) {
      ignored.push({ path, reason: rule.reason, internal: rule.internal });
      continue;
    }
    const storeOps = storeOperations(info.endpoints);
    const methods = info.methods ?? [...new Set(storeOps.flatMap((o) => o.methods))];
    const specPath = specByShape.get(pathShape(path)) ?? null;
    if (!specPath) {
      const pairs = methods.map((m) => ({ method: m.toUpperCase(), served: null, operationId: null }));
      routes.push({
        path,
        methods,
        specPath,
        pairs,
        operations: storeOps.map((o) => ({ ...o, spec: null })),
      });
      continue;
    }
    matched.add(specPath);
    const specOps = opsOf(specPath);
    const covered = new Set();
    const operations = storeOps.map((op) => {
      const specOp = specOps.find((o) => op.methods.includes(o.method));
      if (!specOp) return { ...op, spec: null };
      for (const o of specOps) if (op.methods.includes(o.method)) covered.add(o.method);
      return {
        ...op,
        spec: { method: specOp.method, operationId: specOp.operationId },
        params: compareInputs(op, specOp, path, specPath),
      };
    });
    const served = pathMethods(resolve(doc.paths[specPath]));
    const pairs = methods.map((m) => {
      const entry = served.get(m.toLowerCase());
      return {
        method: m.toUpperCase(),
        served: entry ? (entry.alias ? 'alias' : 'documented') : null,
        operationId: typeof entry?.operation?.operationId === 'string' ? entry.operation.operationId : null,
      };
    });
    routes.push({
      path,
      methods,
      specPath,
      pairs,
      operations,
      specOnlyOperations: specOps
        .filter((o) => !covered.has(o.method))
        .map((o) => ({ method: o.method, operationId: o.operationId })),
      properties: compareProperties(info, specOps),
    });
  }

  const specOnlyPaths = specPaths
    .filter((p) => !matched.has(p))
    .map((p) => ({
      path: p,
      operations: opsOf(p).map((o) => ({ method: o.method, operationId: o.operationId })),
    }));
  return { namespace, routes, specOnlyPaths, ignored };
}
