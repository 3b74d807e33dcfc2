// Local `$ref` resolution in the bundled document (spec/dist/openapi.json): the one resolver that every reader of
// the bundle uses (the compare engine, the mock's webhook sender, the docs build).

/**
 * Follows `node`'s `$ref` chain to its target and returns it (the node itself when it is no reference). Only
 * `#/...` pointers: a bundle has no external refs, so one is an error, as is a cycle. Keywords beside a `$ref`
 * (OpenAPI 3.1 allows a narrower `description`, `readOnly`, ...) win over the target's; without any, the target
 * object itself is returned, not a copy.
 */
export function resolveRef(doc, node) {
  let current = node;
  const seen = new Set();
  while (current && typeof current === 'object' && typeof current.$ref === 'string') {
    const ref = current.$ref;
    if (!ref.startsWith('#/')) {
      throw new Error(`Cannot resolve $ref ${ref}: a bundled document (only #/ refs) is expected.`);
    }
    if (seen.has(ref)) throw new Error(`Circular $ref ${ref} in the bundled document.`);
    seen.add(ref);
    const target = ref
      .slice(2)
      .split('/')
      .map((k) => decodeURIComponent(k).replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce((o, k) => (o == null ? o : o[k]), doc);
    const { $ref, ...siblings } = current;
    current =
      target && typeof target === 'object' && Object.keys(siblings).length > 0
        ? { ...target, ...siblings }
        : target;
  }
  return current;
}
