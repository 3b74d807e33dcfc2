// Everything both entry points export besides the engine-bound functions.
export { isWebhookError, WebhookError, type WebhookErrorCode } from './errors.js';
export type { PingEvent, UnknownWebhookEvent, WebhookDelivery } from './event.js';
export * from './generated/events.js';
export { WEBHOOK_TOPIC_PATTERNS, WEBHOOK_TOPICS } from './generated/topics.js';
export {
  DEFAULT_BODY_TIMEOUT_MS,
  type FetchWebhookHandler,
  type ProcessWebhook,
  type RawWebhookRequest,
  type WebhookHandlerOptions,
  type WebhookHandlers,
  type WebhookResult,
} from './handler.js';
export type { HeadersInput } from './headers.js';
export {
  DEFAULT_MAX_BODY_BYTES,
  type ParsedWebhook,
  type ParseOptions,
  type WebhookRequest,
} from './parse.js';
export {
  createReplayGuard,
  DEFAULT_REPLAY_TTL_MS,
  DEFAULT_SEEN_MAX_ENTRIES,
  MemorySeenStore,
  type MemorySeenStoreOptions,
  type ReplayGuard,
  type ReplayGuardOptions,
  type ReplayKey,
  type SeenStore,
} from './replay.js';
export { wpSpecialcharsDecode } from './secret.js';
export { isStoreErrorPayload } from './shape.js';
export type { RawBody, VerifyOptions, WebhookSecret } from './verify.js';
