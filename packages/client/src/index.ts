export {
  type AuthKind,
  type AuthOption,
  authMiddleware,
  createAuthenticator,
  type OAuthOptions,
} from './auth.js';
export {
  type BatchInput,
  type BatchItemFailure,
  type BatchItemState,
  type BatchOperation,
  type BatchOptions,
  type BatchPath,
  type BatchResult,
  batch,
  isBatchItemError,
  MAX_BATCH,
  WooBatchError,
} from './batch.js';
export {
  API_PREFIX,
  createWooClient,
  resolveBaseUrl,
  type WooClient,
  type WooClientOptions,
  type WooMethod,
  type WooResult,
} from './client.js';
export {
  isWooCommerceError,
  WooAbortError,
  WooApiError,
  type WooClientErrorCode,
  WooCommerceError,
  WooConfigError,
  type WooErrorCode,
  WooInvalidResponseError,
  type WooKnownErrorCode,
  WooNetworkError,
  WooPagingError,
  WooRedirectError,
  WooResponseTooLargeError,
  WooTimeoutError,
} from './errors.js';
export type { OAuthSignatureMethod } from './oauth.js';
export {
  DEFAULT_MAX_PAGES,
  type ItemOf,
  type ListAllOptions,
  type ListInit,
  type ListPath,
  listAll,
  MAX_PER_PAGE,
  type Page,
  type PageOptions,
  pages,
  paginate,
} from './paginate.js';
export type {
  PerRequestOptions,
  RetryInfo,
  RetryOptions,
  TransportOptions,
} from './retry.js';
export { parseRetryAfter } from './retry-after.js';
export { armedFetch, retryMiddleware } from './retry-middleware.js';
export { DEFAULT_MAX_REDIRECTS, DEFAULT_MAX_RESPONSE_BYTES } from './transport.js';
export type {
  CallInit,
  HeadersOptions,
  Middleware,
  MiddlewareCallbackParams,
  ParseAs,
  RawClient,
  RawResponse,
} from './types.js';
