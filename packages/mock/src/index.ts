export { MOCK_APIS, type MockApi } from './apis.js';
export {
  type DiffItem,
  type DiffResult,
  diffIndex,
  fetchIndex,
  formatDiff,
  MAX_INDEX_BYTES,
  type RouteIndex,
  readIndexFile,
  routeToPath,
} from './diff.js';
export { DEFAULT_LIMITS, type FrontLimits } from './front.js';
export { type MockOptions, type MockServer, startMock } from './mock.js';
export { type ListRoute, listRoutes, type PagedAnswer, pageOf } from './paging.js';
export { type Preference, prefer } from './prefer.js';
export {
  formatProxyReport,
  type ProxyOptions,
  type ProxyReport,
  type ProxyReportEntry,
  type ProxyServer,
  parseViolations,
  startProxy,
  type Violation,
} from './proxy.js';
export type { RestartEvent } from './runner.js';
export {
  knownTopics,
  MAX_ANSWER_BYTES,
  type SendWebhookOptions,
  type SentWebhook,
  sendWebhook,
  WEBHOOK_TIMEOUT_MS,
  WOOCOMMERCE_USER_AGENT,
} from './send-webhook.js';
export { API_PREFIX, bundledSpecPath, mountAtStoreRoot } from './spec.js';
export { wpJsonEncode } from './wp-json.js';
