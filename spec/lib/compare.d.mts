// Types for lib/compare.mjs: the comparison of a store's route index with an OpenAPI document.

/** A store's route index: the JSON of `GET /wp-json/wc/v3?context=help`. */
export interface RouteIndex {
  namespace?: string;
  routes: Record<
    string,
    {
      methods?: string[];
      endpoints?: { methods: string[]; args?: Record<string, unknown> }[];
      schema?: { properties?: Record<string, unknown>; [key: string]: unknown };
    }
  >;
}

/** The part of an OpenAPI document the comparison reads (a bundle: only `#/` refs are followed). */
export interface OpenApiDocument {
  paths?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface CompareOptions {
  /** Also compare the routes internal to WooCommerce's admin and payment extensions (marketplace/*, paypal-*). */
  includeInternal?: boolean;
}

export interface SpecOperationRef {
  method: string;
  operationId: string | null;
}

/** One operation of the store: a method of an endpoint, or an endpoint's update methods (POST, PUT, PATCH) as one. */
export interface StoreOperation {
  /** `GET`; for update methods taken together, `PUT` (else the first of them). */
  method: string;
  /** The methods the endpoint takes for it: `['POST', 'PUT', 'PATCH']`, or one method. */
  methods: string[];
  /** `GET`, or `PUT (POST, PATCH)`. */
  label: string;
  /** The argument names the store lists. */
  args: string[];
  /** The spec operation that documents it, or null when the spec lacks it. */
  spec: SpecOperationRef | null;
  /** Only when `spec` is set: arguments the spec does not take, and spec inputs the store does not list. */
  params?: { storeOnly: string[]; specOnly: string[] };
}

export interface StoreRoute {
  /** The store's route in spec form, relative to the namespace: `/orders/{order_id}/notes`. */
  path: string;
  /** The methods the index lists for the route. */
  methods: string[];
  /** The spec path of the same shape (path parameter names may differ), or null when the spec lacks the route. */
  specPath: string | null;
  operations: StoreOperation[];
  /**
   * Every route x method pair the index lists, and how the spec serves it: as the operation it documents, as one of
   * its `x-wc-method-aliases` (lib/aliases.mjs), or not at all (null).
   */
  pairs: { method: string; served: 'documented' | 'alias' | null; operationId: string | null }[];
  /** Only when `specPath` is set: the spec's operations on it that no store operation matches. */
  specOnlyOperations?: SpecOperationRef[];
  /**
   * Only when `specPath` is set: the resource properties the store declares against those the spec's GET (else
   * first) operation answers with; null when either side has none.
   */
  properties?: { method: string; storeOnly: string[]; specOnly: string[] } | null;
}

export interface Comparison {
  namespace: string;
  /** The store's routes that were compared, in index order. */
  routes: StoreRoute[];
  /** The spec's paths that no store route matches, in document order. */
  specOnlyPaths: { path: string; operations: SpecOperationRef[] }[];
  /** Store routes left out, with the reason; `internal` ones are compared with `includeInternal`. */
  ignored: { path: string; reason: string; internal: boolean }[];
}

export declare const IGNORED_ROUTES: { test: (path: string) => boolean; reason: string; internal: boolean }[];
/** `/wc/v3/orders/(?P<order_id>[\d]+)/notes` -> `/orders/{order_id}/notes`; the namespace itself -> `/`. */
export declare function routeToPath(route: string, namespace?: string): string;
/** `/orders/{order_id}/notes/{id}` -> `/orders/{}/notes/{}`. */
export declare function pathShape(path: string): string;
export declare function compareIndex(
  doc: OpenApiDocument,
  index: RouteIndex,
  options?: CompareOptions,
): Comparison;
