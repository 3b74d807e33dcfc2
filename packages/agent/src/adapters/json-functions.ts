// Plain JSON function definitions (OpenAI and Anthropic style) over the same session: the same tools, policy and
// audit as the MCP server. A model's function call goes through runFunction.
import type { AgentSession, ToolResult } from '../session.js';

export interface OpenAIFunction {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}
export interface AnthropicTool {
  name: string;
  description: string;
  input_schema: Record<string, unknown>;
}
export type FunctionDefinition = OpenAIFunction | AnthropicTool;

/** The tools this session offers, as function definitions for `style`. */
export function functionDefinitions(session: AgentSession, style: 'openai'): OpenAIFunction[];
export function functionDefinitions(session: AgentSession, style: 'anthropic'): AnthropicTool[];
export function functionDefinitions(
  session: AgentSession,
  style: 'openai' | 'anthropic',
): FunctionDefinition[] {
  return session.listTools().map((t) =>
    style === 'openai'
      ? {
          type: 'function',
          function: { name: t.name, description: t.description, parameters: t.inputSchema },
        }
      : { name: t.name, description: t.description, input_schema: t.inputSchema },
  );
}

export interface FunctionOutcome {
  ok: boolean;
  /** The structured answer, or the text (an error says why). */
  output: unknown;
  /** The text to hand back to the model as the function's result. */
  text: string;
}

/**
 * Runs one function call: `args` as the model sent it (a JSON string, as OpenAI sends `arguments`, or an object,
 * as Anthropic's `input`).
 */
export async function runFunction(
  session: AgentSession,
  name: string,
  args: unknown,
): Promise<FunctionOutcome> {
  let parsed = args;
  if (typeof args === 'string') {
    try {
      parsed = args.trim() ? JSON.parse(args) : {};
    } catch {
      parsed = Symbol.for('invalid');
    }
  }
  const result: ToolResult =
    typeof parsed === 'symbol'
      ? await session.callOperation(name, 'not JSON', 'functions')
      : await session.call(name, parsed, 'functions');
  const text = result.content.map((c) => c.text).join('\n');
  return { ok: !result.isError, output: result.isError ? text : (result.structuredContent ?? text), text };
}
