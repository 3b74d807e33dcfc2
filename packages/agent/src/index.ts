export { ACTION_NAMES, ACTIONS, type ActionName, type ActionRule, actionsOf } from './actions.js';
export {
  type AnthropicTool,
  type FunctionDefinition,
  type FunctionOutcome,
  functionDefinitions,
  type OpenAIFunction,
  runFunction,
} from './adapters/json-functions.js';
export {
  type Audit,
  type AuditEntry,
  type AuditSink,
  createAudit,
  fileSink,
  redact,
  sentenceOf,
  stderrSink,
} from './audit.js';
export { createGateway, type Gateway, type GatewayOptions } from './gateway.js';
export { type HttpHandle, type HttpOptions, serveHttp, sha256Hex } from './mcp/http.js';
export { createMcpServer } from './mcp/server.js';
export { serveStdio } from './mcp/stdio.js';
export {
  type AgentPolicy,
  agentOf,
  type Decision,
  decide,
  isVisible,
  loadPolicy,
  type Policy,
  PolicyError,
  parsePolicy,
  policySchemaPath,
} from './policy.js';
export { loadRegistry, type Registry, registryOf, type Selection, selectTools } from './registry.js';
export { shapeResult } from './result.js';
export { AgentSession, DISCOVERY_TOOLS, listing, type ToolListing, type ToolResult } from './session.js';
export { connectStore, type Store } from './store.js';
export { buildTools, snakeCase, TOOL_NAME, type ToolDefinition } from './tools/build.js';
export { type JsonSchema, toolSchema } from './tools/schema.js';
