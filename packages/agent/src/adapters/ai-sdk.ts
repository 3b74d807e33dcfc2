// Vercel AI SDK (`ai`) tools over the same session: the same tools, policy and audit as the MCP server.
//   import { aiTools } from '@wooapi/agent/ai';
//   const result = await generateText({ model, tools: aiTools(gateway.session('store-ops')), prompt });
import { jsonSchema, type Tool, tool } from 'ai';
import type { AgentSession } from '../session.js';

/** One AI SDK tool per tool this session offers; `execute` runs through the session (policy, audit, store). */
export function aiTools(session: AgentSession): Record<string, Tool> {
  const tools: Record<string, Tool> = {};
  for (const t of session.listTools()) {
    tools[t.name] = tool({
      description: t.description,
      inputSchema: jsonSchema(t.inputSchema as Parameters<typeof jsonSchema>[0]),
      execute: async (input: unknown) => {
        const result = await session.call(t.name, input, 'ai-sdk');
        const text = result.content.map((c) => c.text).join('\n');
        // A refusal or a store error reaches the model as a tool error, with the reason.
        if (result.isError) throw new Error(text);
        return result.structuredContent ?? text;
      },
    }) as Tool;
  }
  return tools;
}
