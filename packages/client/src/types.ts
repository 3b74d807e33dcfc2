/**
 * The client's own declarations of what it shares with openapi-fetch: the per-call init, headers, middleware, and
 * `raw`'s client type. Structural copies, lean on purpose: nothing in the public declarations imports openapi-fetch's
 * (whose declaration files, with openapi-typescript-helpers', cost a program ~150,000 type instantiations when
 * `skipLibCheck` is off). openapi-fetch's `Middleware` values are accepted where these are, and these are accepted
 * by openapi-fetch's `use()` (test/openapi-fetch.test-d.ts checks both ways). See docs/decisions/client-types.md.
 */
import type { PerRequestOptions } from './retry.js';

// openapi-typescript's read-only / write-only markers, as @wooapi/types (wc/v3 and legacy-v2 alike) declares them:
// declared here too, so that the legacy entry's declarations do not load the wc/v3 types for two helpers.
type $Read<T> = { readonly $read: T };
type $Write<T> = { readonly $write: T };
/** A response body: write-only fields removed, markers unwrapped. */
export type Readable<T> =
  T extends $Write<unknown>
    ? never
    : T extends $Read<infer U>
      ? Readable<U>
      : T extends (infer E)[]
        ? Readable<E>[]
        : T extends object
          ? { [K in keyof T as NonNullable<T[K]> extends $Write<unknown> ? never : K]: Readable<T[K]> }
          : T;
/** A request body: read-only fields refused, markers unwrapped. */
export type Writable<T> =
  T extends $Read<unknown>
    ? never
    : T extends $Write<infer U>
      ? Writable<U>
      : T extends (infer E)[]
        ? Writable<E>[]
        : T extends object
          ? { [K in keyof T as NonNullable<T[K]> extends $Read<unknown> ? never : K]: Writable<T[K]> } & {
              [K in keyof T as NonNullable<T[K]> extends $Read<unknown> ? K : never]?: never;
            }
          : T;

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';

/** Headers: a `Headers`, pairs, or a record where `null` or `undefined` removes a header (as in openapi-fetch). */
export type HeadersOptions =
  | HeadersInit
  | Record<string, string | number | boolean | (string | number | boolean)[] | null | undefined>;

/** How a body is read: `json` (default), `text`, `blob`, `arrayBuffer` or `stream`. */
export type ParseAs = 'json' | 'text' | 'blob' | 'arrayBuffer' | 'stream';

/** What each `parseAs` other than `json` answers. */
export interface ParsedAs {
  text: string;
  blob: Blob;
  arrayBuffer: ArrayBuffer;
  stream: Response['body'];
}

// biome-ignore lint/complexity/noBannedTypes: `{} extends Pick<T, K>` is the standard optional-key test.
export type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];

/** The paths that have method `M`. */
export type PathsWith<Paths, M extends HttpMethod> = {
  [P in keyof Paths]: Paths[P] extends { [K in M]: unknown } ? P : never;
}[keyof Paths];

/** The operation of path item `Item` for method `M`. */
export type OperationOf<Item, M extends HttpMethod> = Item extends { [K in M]: infer Op } ? Op : never;

// ---- Middleware (structurally openapi-fetch's) ----

export interface MiddlewareRequestParams {
  query?: Record<string, unknown>;
  header?: Record<string, unknown>;
  path?: Record<string, unknown>;
  cookie?: Record<string, unknown>;
}

/** openapi-fetch's client options as merged for a request (read-only for middleware). */
export interface MergedOptions {
  baseUrl: string;
  parseAs: ParseAs;
  querySerializer: (query: Record<string, unknown>) => string;
  // biome-ignore lint/suspicious/noExplicitAny: openapi-fetch's body serializer takes and gives anything.
  bodySerializer: (body: any) => any;
  pathSerializer: (pathname: string, pathParams: Record<string, unknown>) => string;
  fetch: typeof globalThis.fetch;
}

export interface MiddlewareCallbackParams {
  /** Current Request object */
  request: Request;
  /** The original OpenAPI schema path (including curly braces) */
  readonly schemaPath: string;
  /** OpenAPI parameters as provided from openapi-fetch */
  readonly params: MiddlewareRequestParams;
  /** Unique ID for this request */
  readonly id: string;
  /** createClient options (read-only) */
  readonly options: MergedOptions;
}

// biome-ignore lint/suspicious/noConfusingVoidType: openapi-fetch's hooks may return nothing (`void`); same types here.
type Nothing = void | undefined;

export type MiddlewareOnRequest = (
  options: MiddlewareCallbackParams,
) => Nothing | Request | Response | Promise<Request | Response | Nothing>;
export type MiddlewareOnResponse = (
  options: MiddlewareCallbackParams & { response: Response },
) => Nothing | Response | Promise<Response | Nothing>;
export type MiddlewareOnError = (
  options: MiddlewareCallbackParams & { error: unknown },
) => Nothing | Response | Error | Promise<Nothing | Response | Error>;

/** openapi-fetch middleware: an object with at least one of `onRequest`, `onResponse`, `onError`. */
export type Middleware =
  | { onRequest: MiddlewareOnRequest; onResponse?: MiddlewareOnResponse; onError?: MiddlewareOnError }
  | { onRequest?: MiddlewareOnRequest; onResponse: MiddlewareOnResponse; onError?: MiddlewareOnError }
  | { onRequest?: MiddlewareOnRequest; onResponse?: MiddlewareOnResponse; onError: MiddlewareOnError };

// ---- The per-call init ----

/** openapi-fetch's query serialization options. */
export interface QuerySerializerOptions {
  array?: { style: 'form' | 'spaceDelimited' | 'pipeDelimited'; explode: boolean };
  object?: { style: 'form' | 'deepObject'; explode: boolean };
  allowReserved?: boolean;
}

type QueryOf<Op> = Op extends { parameters: { query?: infer Q } } ? NonNullable<Q> : Record<string, unknown>;

/** `params`: required when the operation has a required parameter. */
export type ParamsOption<Op> = [Op] extends [{ parameters: infer P }]
  ? RequiredKeys<P> extends never
    ? { params?: P }
    : { params: P }
  : { params?: { query?: Record<string, unknown> } };

/** The request body's content, any media type. */
type BodyContent<B> = B extends { content: infer C } ? C[keyof C] : never;

/** The writable request body (read-only fields removed), any media type; `never` when the operation takes none. */
export type RequestBodyOf<Op> = Op extends { requestBody?: infer B }
  ? Writable<BodyContent<NonNullable<B>>>
  : never;

/**
 * `body`: the writable request body (read-only fields refused), required when the spec requires it. Decided on the
 * declared `requestBody` alone: testing the computed `Writable<...>` against `never` made every call evaluate it.
 */
export type BodyOption<Op> = [Op] extends [{ requestBody?: never }]
  ? { body?: never }
  : [Op] extends [{ requestBody: { content: infer C } }]
    ? { body: Writable<C[keyof C]> }
    : [Op] extends [{ requestBody?: { content: infer C } }]
      ? { body?: Writable<C[keyof C]> }
      : { body?: never };

/** The rest of a call's init: openapi-fetch's per-request options, `fetch`'s own, and the client's `retry`/`timeout`. */
export interface RequestOptions<Op> extends Omit<RequestInit, 'body' | 'headers'>, PerRequestOptions {
  baseUrl?: string;
  querySerializer?: ((query: QueryOf<Op>) => string) | QuerySerializerOptions;
  // biome-ignore lint/suspicious/noExplicitAny: openapi-fetch's body serializer gives anything fetch takes.
  bodySerializer?: (body: RequestBodyOf<Op>) => any;
  pathSerializer?: (pathname: string, pathParams: Record<string, unknown>) => string;
  parseAs?: ParseAs;
  fetch?: (input: Request) => Promise<Response>;
  headers?: HeadersOptions;
  middleware?: Middleware[];
}

/** The init of a call of operation `Op`: `params` (`path`, `query`, `header`), `body`, `parseAs`, `retry`, ... */
export type CallInit<Op> = ParamsOption<Op> & BodyOption<Op> & RequestOptions<Op>;

/** The init argument: optional when nothing in it is required. */
export type InitParam<Init> = RequiredKeys<Init> extends never ? [Init?] : [Init];

// ---- Responses ----

/** The statuses whose bodies are an operation's success. */
export type OkStatus = 200 | 201 | 202 | 203 | 204 | 206 | 207 | '2XX';

/** The content of the responses with status `S` (any media type; `undefined` for a response without content). */
type ContentOf<R, S> = {
  [K in keyof R & S]: R[K] extends { content: infer C } ? C[keyof C] : undefined;
}[keyof R & S];

/** The 2xx bodies of an operation, any media type, markers kept. */
export type OkContent<Op> = Op extends { responses: infer R } ? ContentOf<R, OkStatus> : never;
/** The 4xx, 5xx and `default` bodies of an operation, markers kept. */
export type ErrorContent<Op> = Op extends { responses: infer R }
  ? ContentOf<R, Exclude<keyof R, OkStatus>>
  : never;

/** `data` as `parseAs` reads it. */
export type ParsedData<T, Init> = Init extends { parseAs: infer P extends keyof ParsedAs } ? ParsedAs[P] : T;

/** What `raw` answers: `data` from the 2xx responses, or `error` from the others. */
export type RawResponse<Op, Init> =
  | { data: ParsedData<Readable<OkContent<Op>>, Init>; error?: never; response: Response }
  | { data?: never; error: Readable<ErrorContent<Op>>; response: Response };

type RawInitParam<Init> =
  RequiredKeys<Init> extends never
    ? [(Init & { [key: string]: unknown })?]
    : [Init & { [key: string]: unknown }];

export type RawMethod<Paths, M extends HttpMethod> = <
  P extends PathsWith<Paths, M>,
  Init extends CallInit<OperationOf<Paths[P], M>>,
>(
  url: P,
  ...init: RawInitParam<Init>
) => Promise<RawResponse<OperationOf<Paths[P], M>, Init>>;

/**
 * `woo.raw`: openapi-fetch's client interface, answering `{ data, error, response }` typed from the spec instead of
 * throwing on HTTP errors.
 */
export interface RawClient<in out Paths> {
  request<
    M extends HttpMethod,
    P extends PathsWith<Paths, M>,
    Init extends CallInit<OperationOf<Paths[P], M>>,
  >(method: M, url: P, ...init: RawInitParam<Init>): Promise<RawResponse<OperationOf<Paths[P], M>, Init>>;
  GET: RawMethod<Paths, 'get'>;
  PUT: RawMethod<Paths, 'put'>;
  POST: RawMethod<Paths, 'post'>;
  DELETE: RawMethod<Paths, 'delete'>;
  OPTIONS: RawMethod<Paths, 'options'>;
  HEAD: RawMethod<Paths, 'head'>;
  PATCH: RawMethod<Paths, 'patch'>;
  TRACE: RawMethod<Paths, 'trace'>;
  /** Register middleware (for `raw` and the client alike). */
  use(...middleware: Middleware[]): void;
  /** Unregister middleware. */
  eject(...middleware: Middleware[]): void;
}
