// The methods a store serves beside the one the spec documents. WordPress registers every update and batch route
// with POST, PUT and PATCH alike (WP_REST_Server::EDITABLE) and answers HEAD on every GET route; the spec documents
// one verb per operation and declares the others as `x-wc-method-aliases` (spec/EXTENSIONS.md). HEAD needs no
// declaration: it is the server's rule for every GET. The mock, the validating proxy, the coverage report and the
// recorded-traffic test all resolve a (path, method) pair here; the generated types and the client keep one verb.
// Plain ESM without dependencies (aliases.d.mts holds the types).

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** The alias methods (lower case) of the operation documented at `method`: its declared aliases, plus HEAD for a GET. */
export function methodAliases(operation, method) {
  const declared = Array.isArray(operation?.['x-wc-method-aliases'])
    ? operation['x-wc-method-aliases'].map((m) => String(m).toLowerCase())
    : [];
  return method === 'get' ? [...new Set([...declared, 'head'])] : declared;
}

/**
 * Every method a Path Item serves, documented or alias: `Map<method, { documented, operation, alias }>` (lower-case
 * methods). A documented operation always wins over an alias of another one.
 */
export function pathMethods(pathItem) {
  const out = new Map();
  if (!pathItem || typeof pathItem !== 'object') return out;
  for (const method of HTTP_METHODS) {
    const operation = pathItem[method];
    if (operation && typeof operation === 'object')
      out.set(method, { documented: method, operation, alias: false });
  }
  for (const method of HTTP_METHODS) {
    const operation = pathItem[method];
    if (!operation || typeof operation !== 'object') continue;
    for (const alias of methodAliases(operation, method))
      if (!out.has(alias)) out.set(alias, { documented: method, operation, alias: true });
  }
  return out;
}

/** The operation that serves `method` on `pathItem` (documented or through an alias), or undefined. */
export function operationFor(pathItem, method) {
  return pathMethods(pathItem).get(String(method).toLowerCase());
}

/**
 * A copy of `doc` in which every alias is an operation of its own: a copy of the documented operation, with
 * `operationId` `<id>__<method>` (unique, so Prism and validators accept it) and `x-wc-alias-of` naming the
 * documented method. For a server (the mock, the proxy), never for code generation: the client's types stay one verb.
 */
export function expandMethodAliases(doc) {
  const paths = {};
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    if (!item || typeof item !== 'object') {
      paths[path] = item;
      continue;
    }
    const expanded = { ...item };
    for (const [method, entry] of pathMethods(item)) {
      if (!entry.alias) continue;
      const { operationId, ...rest } = entry.operation;
      expanded[method] = {
        ...rest,
        ...(typeof operationId === 'string' ? { operationId: `${operationId}__${method}` } : {}),
        'x-wc-alias-of': entry.documented,
      };
    }
    paths[path] = expanded;
  }
  return { ...doc, paths };
}
