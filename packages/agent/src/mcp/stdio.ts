// stdio transport: one agent per process, JSON-RPC on stdout (logs and the default audit go to stderr).
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { AgentSession } from '../session.js';
import { createMcpServer } from './server.js';

export async function serveStdio(session: AgentSession): Promise<{ close(): Promise<void> }> {
  const server = createMcpServer(session);
  const transport = new StdioServerTransport();
  await server.connect(transport);
  return { close: () => server.close() };
}
