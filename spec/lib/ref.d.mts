// Types for lib/ref.mjs.

/**
 * Follows `node`'s `$ref` chain (`#/...` pointers only) to its target; keywords beside a `$ref` win over the
 * target's. Throws on an external or circular ref.
 */
// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI node is whatever the document holds.
export function resolveRef<T = any>(doc: unknown, node: unknown): T;
