// Types for lib/aliases.mjs.

export const HTTP_METHODS: readonly string[];

/** The alias methods (lower case) of the operation documented at `method`: its declared aliases, plus HEAD for a GET. */
// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI node is whatever the document holds.
export function methodAliases(operation: any, method: string): string[];

export interface ServedMethod {
  /** The method the spec documents the operation under (lower case). */
  documented: string;
  // biome-ignore lint/suspicious/noExplicitAny: an OpenAPI node is whatever the document holds.
  operation: any;
  /** true when the method is an alias (declared in x-wc-method-aliases, or HEAD of a GET). */
  alias: boolean;
}

/** Every method a Path Item serves, documented or alias, keyed by lower-case method. */
export function pathMethods(pathItem: unknown): Map<string, ServedMethod>;

/** The operation that serves `method` on `pathItem` (documented or through an alias), or undefined. */
export function operationFor(pathItem: unknown, method: string): ServedMethod | undefined;

/** A copy of `doc` in which every alias is an operation of its own (for servers: the mock, the proxy). */
export function expandMethodAliases<T extends { paths?: Record<string, unknown> }>(doc: T): T;
