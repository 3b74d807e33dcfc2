// One agent's view of the store: the tools it is offered (selection, then policy) and the one call path that
// every door uses (MCP tools, discovery's call_operation, the AI SDK and JSON-function adapters): policy decision,
// input check, the store call through @wooapi/client, the audit line.

import { createRequire } from 'node:module';
import { isWooCommerceError } from '@wooapi/client';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Audit, AuditDecision } from './audit.js';
import { type AgentPolicy, type Decision, decide, isVisible } from './policy.js';
import { type Registry, type Selection, selectTools } from './registry.js';
import { shapeResult } from './result.js';
import type { Store } from './store.js';
import type { ToolDefinition } from './tools/build.js';
import type { JsonSchema } from './tools/schema.js';

/** A tool as MCP's tools/list (and every adapter) presents it. */
export interface ToolListing {
  name: string;
  title: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  annotations: ToolDefinition['annotations'];
}

/** MCP's CallToolResult, which the adapters unwrap. */
export interface ToolResult {
  content: { type: 'text'; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export interface SessionOptions {
  registry: Registry;
  agent: AgentPolicy;
  store: Store;
  audit: Audit;
  selection?: Selection;
  /** Offer the three discovery tools instead of one tool per operation. */
  discovery?: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: Ajv is CommonJS; take its default export whichever way it arrives.
const unwrap = (m: any) => m.default?.default ?? m.default ?? m;
const require = createRequire(import.meta.url);
let ajv: { compile(schema: unknown): ValidateFunction } | undefined;
const validators = new WeakMap<object, ValidateFunction>();
function validatorOf(schema: JsonSchema): ValidateFunction {
  let fn = validators.get(schema);
  if (!fn) {
    ajv ??= new (unwrap(require('ajv/dist/2020')))({ allErrors: true, strict: false });
    fn = (ajv as { compile(s: unknown): ValidateFunction }).compile(schema);
    validators.set(schema, fn);
  }
  return fn;
}

const inputProblems = (errors: ErrorObject[]): string[] =>
  errors.slice(0, 8).map((e) => {
    const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'arguments';
    const p = e.params as Record<string, unknown>;
    if (e.keyword === 'additionalProperties')
      return `unknown argument "${p.additionalProperty}"${where === 'arguments' ? '' : ` in ${where}`}`;
    if (e.keyword === 'required')
      return `missing required argument "${p.missingProperty}"${where === 'arguments' ? '' : ` in ${where}`}`;
    if (e.keyword === 'enum')
      return `${where} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    return `${where} ${e.message}`;
  });

const VERBS: Record<string, string> = { get: 'read', list: 'list' };
const verbs = new WeakMap<ToolDefinition, string>();
const verbOf = (tool: ToolDefinition): string => {
  let verb = verbs.get(tool);
  if (verb === undefined) {
    const first = /^[a-z]+/.exec(tool.operationId)?.[0] ?? 'call';
    verb = VERBS[first] ?? first;
    verbs.set(tool, verb);
  }
  return verb;
};

/** A tool's path arguments as [flat name, path name], computed once per tool (the audit names the record by them). */
const pathArgs = new WeakMap<ToolDefinition, [string, string][]>();
const pathArgsOf = (tool: ToolDefinition): [string, string][] => {
  let ids = pathArgs.get(tool);
  if (!ids) {
    ids = Object.entries(tool.args)
      .filter(([, b]) => b.in === 'path')
      .map(([flat, b]) => [flat, b.name]);
    pathArgs.set(tool, ids);
  }
  return ids;
};

export const DISCOVERY_TOOLS = ['search_operations', 'describe_operation', 'call_operation'] as const;

export class AgentSession {
  readonly agent: AgentPolicy;
  readonly registry: Registry;
  /** The tools this agent may use, in document order: the selection, then the policy. */
  readonly offered: ToolDefinition[];
  readonly discovery: boolean;
  private readonly offeredNames: Set<string>;
  private readonly selectedNames: Set<string>;
  private readonly store: Store;
  private readonly audit: Audit;
  private readonly selection: Selection;
  /** Decisions that cannot depend on the arguments (no action rules, no argument limit), made once per tool. */
  private readonly fixedDecisions = new Map<string, Decision>();
  private readonly secrets: string[];

  constructor(options: SessionOptions) {
    this.agent = options.agent;
    this.registry = options.registry;
    this.store = options.store;
    this.audit = options.audit;
    this.selection = options.selection ?? {};
    this.discovery = !!options.discovery;
    const selected = selectTools(this.registry, this.selection);
    this.selectedNames = new Set(selected.map((t) => t.name));
    this.offered = selected.filter((t) => isVisible(this.agent, t));
    this.offeredNames = new Set(this.offered.map((t) => t.name));
    this.secrets = this.store.secrets.filter((x) => x && x.length >= 4);
  }

  /** The policy decision for this call; the same every time for a tool whose decision ignores the arguments. */
  private decision(tool: ToolDefinition, args: Record<string, unknown>): Decision {
    const fixed = this.fixedDecisions.get(tool.name);
    if (fixed) return fixed;
    const decision = decide(this.agent, tool, args);
    if (tool.actions.length === 0 && typeof this.agent.tools[tool.name] !== 'object')
      this.fixedDecisions.set(tool.name, decision);
    return decision;
  }

  /** What tools/list answers: the offered tools, or the three discovery tools. */
  listTools(): ToolListing[] {
    return this.discovery ? this.discoveryListings() : this.offered.map(listing);
  }

  /** Calls a listed tool by name (a discovery tool in discovery mode). */
  async call(name: string, args: unknown, via?: string): Promise<ToolResult> {
    if (this.discovery) {
      if (name === 'search_operations') return this.search(args);
      if (name === 'describe_operation') return this.describeOne(args);
      if (name === 'call_operation') {
        const a = (args ?? {}) as { name?: unknown; arguments?: unknown };
        if (typeof a.name !== 'string')
          return this.refuseInvalid(
            null,
            'call_operation needs name (a tool name from search_operations)',
            'call_operation',
          );
        return this.callOperation(a.name, a.arguments ?? {}, 'call_operation');
      }
    }
    return this.callOperation(name, args, via ?? name);
  }

  /** The one call path: policy, input check, store call, audit. */
  async callOperation(name: string, rawArgs: unknown, via: string): Promise<ToolResult> {
    const started = performance.now();
    const tool = this.registry.byName.get(name);
    const args = (rawArgs ?? {}) as Record<string, unknown>;
    const record = (
      decision: AuditDecision,
      rule: string,
      extra: { status?: number | null; error?: string; actions?: string[] } = {},
    ) =>
      this.audit.record({
        agent: this.agent.name,
        tool: name,
        operationId: tool?.operationId ?? null,
        action: tool ? verbOf(tool) : null,
        ...(extra.actions?.length ? { actions: extra.actions } : {}),
        resource: tool?.resource ?? null,
        resourceId: tool ? this.resourceId(tool, args) : null,
        store: this.store.host,
        decision,
        rule,
        status: extra.status ?? null,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        via,
        ...(typeof args === 'object' && args !== null && Object.keys(args).length ? { arguments: args } : {}),
        ...(extra.error ? { error: extra.error } : {}),
      });

    if (!tool) {
      record('denied', 'unknown tool');
      return this.error(
        `There is no tool named ${name}. ${this.discovery ? 'Find one with search_operations.' : 'Use a tool from tools/list.'}`,
      );
    }
    if (!this.offeredNames.has(name)) {
      const rule = this.selectedNames.has(name)
        ? decide(this.agent, tool, {}).rule
        : this.selection.readOnly && !tool.annotations.readOnlyHint
          ? 'read-only mode'
          : 'not in the selected toolsets or tools';
      const entry = record('denied', rule);
      return this.error(`Refused: ${entry.sentence}. This agent may not use ${name}.`);
    }
    if (typeof rawArgs !== 'object' || rawArgs === null || Array.isArray(rawArgs)) {
      record('invalid', 'input', { error: 'arguments must be an object' });
      return this.error(`Invalid input for ${name}: the arguments must be a JSON object.`);
    }
    const decision = this.decision(tool, args);
    if (!decision.allowed) {
      const entry = record('denied', decision.rule, { actions: decision.actions });
      return this.error(`Refused: ${entry.sentence}.`);
    }
    const validate = validatorOf(tool.inputSchema);
    if (!validate(args)) {
      const problems = inputProblems(validate.errors ?? []);
      record('invalid', decision.rule, { error: problems.join('; '), actions: decision.actions });
      return this.error(
        `Invalid input for ${name}: ${problems.join('; ')}. Fix the arguments and call again.`,
      );
    }

    const path: Record<string, unknown> = {};
    const query: Record<string, unknown> = {};
    let body: unknown;
    for (const [flat, value] of Object.entries(args)) {
      const binding = tool.args[flat];
      if (!binding) continue;
      if (binding.in === 'path') path[binding.name] = value;
      else if (binding.in === 'query') query[binding.name] = value;
      else if (binding.name === '') body = value;
      else {
        body ??= {};
        (body as Record<string, unknown>)[binding.name] = value;
      }
    }
    try {
      // biome-ignore lint/suspicious/noExplicitAny: the path is chosen at run time; the registry is generated from the same spec as the client's types.
      const client = this.store.client as any;
      const { data, response } = await client[tool.method](tool.path, {
        params: { path, query },
        ...(body !== undefined ? { body } : {}),
      });
      const structured = shapeResult(tool, data, args, {
        total: response.headers.get('x-wp-total'),
        totalPages: response.headers.get('x-wp-totalpages'),
      });
      record('allowed', decision.rule, { status: response.status, actions: decision.actions });
      const text = this.scrub(JSON.stringify(structured ?? data ?? { status: response.status }));
      return { content: [{ type: 'text', text }], ...(structured ? { structuredContent: structured } : {}) };
    } catch (error) {
      if (isWooCommerceError(error)) {
        record('error', decision.rule, {
          status: error.status || null,
          error: error.code,
          actions: decision.actions,
        });
        return this.error(
          `The store answered ${error.status || 'nothing'} ${error.code}: ${error.message}. ${error.status === 404 ? 'Check the ID.' : error.status >= 500 || !error.status ? 'Try again later.' : 'Fix the request and call again.'}`,
        );
      }
      record('error', decision.rule, { error: 'wooapi_internal' });
      return this.error(`The call failed inside wooapi-mcp: ${(error as Error).message}`);
    }
  }

  private resourceId(tool: ToolDefinition, args: Record<string, unknown>): Record<string, unknown> | null {
    if (typeof args !== 'object' || args === null) return null;
    // Parents first, the record itself last: `of order 727`, then `3`.
    let ids: Record<string, unknown> | null = null;
    for (const [flat, name] of pathArgsOf(tool)) {
      if (args[flat] === undefined) continue;
      ids ??= {};
      ids[name] = args[flat];
    }
    return ids;
  }

  private scrub(text: string): string {
    let out = text;
    // `includes` first: one scan without a copy in the usual case, where no secret is there.
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join('[redacted]');
    return out;
  }

  private error(text: string): ToolResult {
    return { content: [{ type: 'text', text: this.scrub(text) }], isError: true };
  }

  private refuseInvalid(name: string | null, message: string, via: string): ToolResult {
    this.audit.record({
      agent: this.agent.name,
      tool: name,
      operationId: null,
      action: null,
      resource: null,
      resourceId: null,
      store: this.store.host,
      decision: 'invalid',
      rule: 'input',
      status: null,
      durationMs: 0,
      via,
      error: message,
    });
    return this.error(message);
  }

  // Discovery mode: three tools over the same offered set and the same callOperation.
  private discoveryListings(): ToolListing[] {
    const toolsets = [...new Set(this.offered.map((t) => t.toolset))];
    const allRead = this.offered.every((t) => t.annotations.readOnlyHint);
    return [
      {
        name: 'search_operations',
        title: 'Search the store operations',
        description: `Finds the WooCommerce operations this agent may call (${this.offered.length} of them, in ${toolsets.length} toolsets: ${toolsets.join(', ')}) by words such as "refund order" or "list products". Answers names to pass to describe_operation and call_operation.`,
        inputSchema: {
          type: 'object',
          properties: {
            query: { type: 'string', description: 'Words to look for in names, titles and descriptions.' },
            toolset: { type: 'string', enum: toolsets, description: 'Only this toolset.' },
            limit: {
              type: 'integer',
              minimum: 1,
              maximum: 50,
              description: 'At most this many (default 10).',
            },
          },
          required: ['query'],
          additionalProperties: false,
        },
        outputSchema: {
          type: 'object',
          properties: {
            operations: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  name: { type: 'string' },
                  title: { type: 'string' },
                  toolset: { type: 'string' },
                  readOnly: { type: 'boolean' },
                },
                required: ['name', 'title', 'toolset', 'readOnly'],
              },
            },
          },
          required: ['operations'],
        },
        annotations: {
          title: 'Search the store operations',
          readOnlyHint: true,
          destructiveHint: false,
          idempotentHint: true,
          openWorldHint: false,
        },
      },
      {
        name: 'describe_operation',
        title: 'Describe a store operation',
        description:
          'The full definition of one operation: what it does, its arguments (a JSON Schema), what it answers, and the actions that govern it. Call it before call_operation.',
        inputSchema: {
          type: 'object',
          properties: { name: { type: 'string', description: 'An operation name from search_operations.' } },
          required: ['name'],
          additionalProperties: false,
        },
        annotations: {
          title: 'Describe a store operation',
          readOnlyHint: true,
          destructiveHint: false,
          idempotentHint: true,
          openWorldHint: false,
        },
      },
      {
        name: 'call_operation',
        title: 'Call a store operation',
        description:
          'Calls one operation with its arguments (as describe_operation gives them). The same policy applies as to a tool of the same name: a refused call says why.',
        inputSchema: {
          type: 'object',
          properties: {
            name: { type: 'string', description: 'The operation name.' },
            arguments: {
              type: 'object',
              description: "The arguments, as the operation's input schema says.",
            },
          },
          required: ['name'],
          additionalProperties: false,
        },
        annotations: {
          title: 'Call a store operation',
          readOnlyHint: allRead,
          destructiveHint: this.offered.some((t) => t.annotations.destructiveHint),
          idempotentHint: false,
          openWorldHint: this.offered.some((t) => t.annotations.openWorldHint),
        },
      },
    ];
  }

  private search(args: unknown): ToolResult {
    const a = (args ?? {}) as { query?: unknown; toolset?: unknown; limit?: unknown };
    if (typeof a.query !== 'string')
      return this.refuseInvalid(
        'search_operations',
        'search_operations needs query (words to look for)',
        'search_operations',
      );
    const words = a.query
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean);
    const limit = typeof a.limit === 'number' && a.limit >= 1 ? Math.min(50, Math.floor(a.limit)) : 10;
    const scored = this.offered
      .filter((t) => typeof a.toolset !== 'string' || t.toolset === a.toolset)
      .map((t) => {
        const name = t.name.split('_');
        const title = t.title.toLowerCase();
        const text = t.description.toLowerCase();
        let score = 0;
        for (const w of words) {
          const stem = w.replace(/s$/, '');
          if (name.some((n) => n === w || n.replace(/s$/, '') === stem)) score += 5;
          if (title.includes(stem)) score += 3;
          if (text.includes(stem)) score += 1;
        }
        return { t, score };
      })
      .filter((x) => x.score > 0 || words.length === 0)
      .sort((x, y) => y.score - x.score)
      .slice(0, limit);
    const operations = scored.map(({ t }) => ({
      name: t.name,
      title: t.title,
      toolset: t.toolset,
      readOnly: t.annotations.readOnlyHint,
    }));
    const structured = { operations };
    return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured };
  }

  private describeOne(args: unknown): ToolResult {
    const name = (args as { name?: unknown } | null)?.name;
    const tool = typeof name === 'string' ? this.registry.byName.get(name) : undefined;
    if (!tool || !this.offeredNames.has(tool.name)) {
      return this.error(
        `No operation named ${String(name)} is available to this agent; find one with search_operations.`,
      );
    }
    const info = {
      ...listing(tool),
      toolset: tool.toolset,
      actions: tool.actions,
      method: tool.method,
      path: tool.path,
    };
    return { content: [{ type: 'text', text: JSON.stringify(info) }] };
  }
}

export function listing(t: ToolDefinition): ToolListing {
  return {
    name: t.name,
    title: t.title,
    description: t.description,
    inputSchema: t.inputSchema,
    ...(t.outputSchema ? { outputSchema: t.outputSchema } : {}),
    annotations: t.annotations,
  };
}
