// MCP wiring only: tools/list and tools/call answered by an AgentSession. No policy logic here.
// The SDK's low-level Server is used on purpose: our tool schemas are JSON Schemas generated from the spec, which
// McpServer.registerTool (zod shapes) cannot take as they are.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { AgentSession } from '../session.js';

export const SERVER_INFO = { name: 'wooapi-mcp', version: '0.1.0' };

export function createMcpServer(session: AgentSession): Server {
  const server = new Server(SERVER_INFO, {
    capabilities: { tools: { listChanged: false } },
    instructions:
      "Tools for one WooCommerce store, limited by this agent's policy: a refused call says which rule refused it. " +
      'List tools answer { items, total, totalPages, page }; ask for more with page.',
  });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: session.listTools() }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const result = await session.call(request.params.name, request.params.arguments ?? {});
    return result as unknown as Record<string, unknown> & { content: [] };
  });
  return server;
}
