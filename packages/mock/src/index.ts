export { MOCK_APIS, type MockApi } from './apis.js';
export {
  type DiffItem,
  type DiffResult,
  diffIndex,
  fetchIndex,
  formatDiff,
  type RouteIndex,
  readIndexFile,
  routeToPath,
} from './diff.js';
export { type MockOptions, type MockServer, startMock } from './mock.js';
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
export {
  knownTopics,
  type SendWebhookOptions,
  type SentWebhook,
  sendWebhook,
  WEBHOOK_TIMEOUT_MS,
  WOOCOMMERCE_USER_AGENT,
} from './send-webhook.js';
export { API_PREFIX, bundledSpecPath, mountAtStoreRoot } from './spec.js';
export { wpJsonEncode } from './wp-json.js';
