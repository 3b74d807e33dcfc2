// Everything both entry points export besides the engine-bound functions.
export { isWebhookError, WebhookError, type WebhookErrorCode } from './errors.js';
export type { PingEvent, UnknownWebhookEvent, WebhookDelivery } from './event.js';
export * from './generated/events.js';
export { WEBHOOK_TOPIC_PATTERNS, WEBHOOK_TOPICS } from './generated/topics.js';
export type {
  FetchWebhookHandler,
  ProcessWebhook,
  RawWebhookRequest,
  WebhookHandlerOptions,
  WebhookHandlers,
  WebhookResult,
} from './handler.js';
export type { HeadersInput } from './headers.js';
export {
  DEFAULT_MAX_BODY_BYTES,
  type ParsedWebhook,
  type ParseOptions,
  type WebhookRequest,
} from './parse.js';
export { wpSpecialcharsDecode } from './secret.js';
export type { RawBody, VerifyOptions, WebhookSecret } from './verify.js';
