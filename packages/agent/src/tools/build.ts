// The one implementation that turns a bundled spec into tool definitions. Two callers: the build-time generator
// (scripts/gen-agent-tools.mjs writes dist/generated/tools.json) and `wooapi-mcp --spec FILE` at start-up.
import { resolveRef } from '@wooapi/spec/ref';
import { ACTIONS, type ActionName, type ActionRule, parseActions } from '../actions.js';
import { firstSentence, type JsonSchema, toolSchema, trimDescriptions } from './schema.js';

/** Arguments and their fields keep their descriptions; deeper levels (batch items' fields) do not. */
const INPUT_DESCRIPTION_DEPTH = 2;

export const TOOL_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
export type HttpMethod = Uppercase<(typeof METHODS)[number]>;

/** Where a flat input argument goes in the HTTP request. `body` with name `''` is the whole (non-object) body. */
export interface ArgBinding {
  in: 'path' | 'query' | 'body';
  name: string;
}

export interface ToolAnnotations {
  title: string;
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface ToolDefinition {
  /** snake_case of the operationId: `create_order_refund`. */
  name: string;
  title: string;
  description: string;
  inputSchema: JsonSchema;
  /** Present when the operation answers JSON: what `structuredContent` holds. */
  outputSchema?: JsonSchema;
  annotations: ToolAnnotations;
  operationId: string;
  method: HttpMethod;
  path: string;
  /** The capability group (the operation's first tag, snake_case): `orders`, `product_variations`. */
  toolset: string;
  /** `x-wc-resource`: `order`, `order_refund`. */
  resource: string;
  permission: 'read' | 'write';
  webhookEvent: string | null;
  /** `x-wc-action`, with `when` naming a flat argument. */
  actions: ActionRule[];
  /** A paged list: the result is `{ items, total, totalPages, page }` from X-WP-Total / X-WP-TotalPages. */
  list: boolean;
  /** A JSON answer that is not an object, wrapped as `{ items }` (arrays) or `{ result }`. */
  wrap?: 'items' | 'result';
  args: Record<string, ArgBinding>;
}

export const snakeCase = (id: string): string =>
  id
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toLowerCase();

// biome-ignore lint/suspicious/noExplicitAny: OpenAPI nodes are untyped JSON.
type Node = Record<string, any>;

/** Every operation of `doc` as a tool definition, in document order. Throws on what it cannot turn into a tool. */
export function buildTools(doc: Node): ToolDefinition[] {
  if (!doc || typeof doc !== 'object' || typeof doc.paths !== 'object')
    throw new Error('not an OpenAPI document: it has no paths');
  const tools: ToolDefinition[] = [];
  const names = new Map<string, string>();
  for (const [path, rawItem] of Object.entries(doc.paths as Node)) {
    const item = resolveRef(doc, rawItem) as Node;
    for (const m of METHODS) {
      const op = item?.[m];
      if (!op) continue;
      const where = `${m.toUpperCase()} ${path}`;
      const tool = buildTool(doc, path, m, item, op, where);
      const other = names.get(tool.name);
      if (other)
        throw new Error(`${where}: tool name ${tool.name} is taken by ${other}; give it another operationId`);
      names.set(tool.name, where);
      tools.push(tool);
    }
  }
  return tools;
}

function buildTool(
  doc: Node,
  path: string,
  method: string,
  item: Node,
  op: Node,
  where: string,
): ToolDefinition {
  const operationId = op.operationId;
  if (typeof operationId !== 'string' || !operationId) throw new Error(`${where}: no operationId`);
  const name = snakeCase(operationId);
  if (!TOOL_NAME.test(name))
    throw new Error(
      `${where}: tool name "${name}" (from ${operationId}) must be 1-64 characters of [a-z0-9_]`,
    );
  const permission = op['x-wc-permission'];
  if (permission !== 'read' && permission !== 'write')
    throw new Error(`${where}: x-wc-permission must be read or write (see spec/EXTENSIONS.md)`);
  const resource = op['x-wc-resource'];
  if (typeof resource !== 'string' || !/^[a-z_]+$/.test(resource))
    throw new Error(`${where}: x-wc-resource must be a snake_case name (see spec/EXTENSIONS.md)`);
  const tag = Array.isArray(op.tags) && typeof op.tags[0] === 'string' ? op.tags[0] : resource;
  const toolset = snakeCase(tag);

  const { inputSchema, args } = flatInput(doc, item, op, where);
  const actions = parseActions(op['x-wc-action'], where).map((rule) => {
    if (rule.when === undefined) return rule;
    const arg =
      Object.entries(args).find(([, b]) => b.in === 'body' && b.name === rule.when)?.[0] ?? rule.when;
    if (!args[arg])
      throw new Error(`${where}: x-wc-action when "${rule.when}" is not an argument of the operation`);
    return { action: rule.action, when: arg };
  });

  const output = outputOf(doc, op);
  const upper = method.toUpperCase() as HttpMethod;
  const named = new Set(actions.map((a) => a.action));
  const annotations: ToolAnnotations = {
    title: typeof op.summary === 'string' ? op.summary : operationId,
    readOnlyHint: permission === 'read',
    destructiveHint:
      upper === 'DELETE' || named.has('delete') || named.has('refund') || named.has('run_system_tool'),
    // Repeating the same call changes nothing more: reads, updates to given values, deletes. Not creates, batches,
    // emails or tools, which act again each time.
    idempotentHint:
      permission === 'read' ||
      ((upper === 'PUT' || upper === 'PATCH' || upper === 'DELETE') &&
        !named.has('run_system_tool') &&
        !named.has('batch')),
    // Money through a payment gateway and emails reach outside the store.
    openWorldHint: named.has('refund') || named.has('send_customer_email'),
  };

  return {
    name,
    title: annotations.title,
    description: describe(op, { permission, resource, actions, list: output.list }),
    inputSchema,
    ...(output.schema ? { outputSchema: output.schema } : {}),
    annotations,
    operationId,
    method: upper,
    path,
    toolset,
    resource,
    permission,
    webhookEvent: typeof op['x-wc-webhook-event'] === 'string' ? op['x-wc-webhook-event'] : null,
    actions,
    list: output.list,
    ...(output.wrap ? { wrap: output.wrap } : {}),
    args,
  };
}

/**
 * One flat object of path, query and body arguments. Collision rule: path parameters keep their names; a query
 * parameter named like a path parameter becomes `query_<name>`; a body property named like a path parameter is left
 * out (the URL names the record, and WooCommerce takes its ID from the URL); a body property named like a query
 * parameter becomes `body_<name>`. A body that is not an object (an array) is the one argument `body`.
 */
function flatInput(doc: Node, item: Node, op: Node, where: string) {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const args: Record<string, ArgBinding> = {};
  const params = new Map<string, Node>();
  for (const raw of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
    const p = resolveRef(doc, raw) as Node;
    params.set(`${p.in}:${p.name}`, p);
  }
  const add = (flat: string, binding: ArgBinding, schema: JsonSchema, isRequired: boolean) => {
    if (args[flat]) throw new Error(`${where}: argument ${flat} would be defined twice`);
    args[flat] = binding;
    properties[flat] = schema;
    if (isRequired) required.push(flat);
  };
  const paramSchema = (p: Node) => {
    const schema = toolSchema(doc, p.schema ?? {}, 'input');
    return p.description ? { ...schema, description: firstSentence(String(p.description)) } : schema;
  };
  const pathNames = new Set<string>();
  for (const p of params.values()) {
    if (p.in !== 'path') continue;
    pathNames.add(p.name);
    add(p.name, { in: 'path', name: p.name }, paramSchema(p), true);
  }
  const queryNames = new Set<string>();
  for (const p of params.values()) {
    if (p.in !== 'query') continue;
    queryNames.add(p.name);
    add(
      pathNames.has(p.name) ? `query_${p.name}` : p.name,
      { in: 'query', name: p.name },
      paramSchema(p),
      !!p.required,
    );
  }
  const body = op.requestBody ? (resolveRef(doc, op.requestBody) as Node) : undefined;
  const media = body?.content?.['application/json'];
  if (body && !media) throw new Error(`${where}: the request body is not application/json`);
  if (media) {
    const schema = toolSchema(doc, media.schema ?? {}, 'input');
    const isObjectBody = schema.type === 'object' || (schema.type === undefined && schema.properties);
    if (isObjectBody && schema.properties) {
      const bodyRequired = new Set<string>(body?.required ? (schema.required ?? []) : []);
      for (const [prop, propSchema] of Object.entries(schema.properties as Record<string, JsonSchema>)) {
        if (pathNames.has(prop)) continue;
        const flat = queryNames.has(prop) ? `body_${prop}` : prop;
        add(flat, { in: 'body', name: prop }, propSchema, bodyRequired.has(prop));
      }
    } else {
      add('body', { in: 'body', name: '' }, schema, !!body?.required);
    }
  }
  const inputSchema: JsonSchema = trimDescriptions(
    { type: 'object', properties, additionalProperties: false },
    INPUT_DESCRIPTION_DEPTH,
  );
  if (required.length) inputSchema.required = required;
  return { inputSchema, args };
}

function outputOf(doc: Node, op: Node): { schema?: JsonSchema; list: boolean; wrap?: 'items' | 'result' } {
  const entry = Object.entries(op.responses ?? {}).find(([code]) => /^2\d\d$/.test(code));
  if (!entry) return { list: false };
  const response = resolveRef(doc, entry[1]) as Node;
  const media = response?.content?.['application/json'];
  if (!media?.schema) return { list: false };
  const schema = toolSchema(doc, media.schema, 'output');
  const headers = Object.keys(response.headers ?? {}).map((h) => h.toLowerCase());
  const list =
    headers.includes('x-wp-total') && (schema.type === 'array' || schema.type?.includes?.('array'));
  const nullableInt = { type: ['integer', 'null'] };
  if (list) {
    return {
      list: true,
      schema: {
        type: 'object',
        properties: {
          items: { type: 'array', items: schema.items ?? {} },
          total: { ...nullableInt, description: 'X-WP-Total: how many records match, across all pages.' },
          totalPages: { ...nullableInt, description: 'X-WP-TotalPages: how many pages there are.' },
          page: { type: 'integer', description: 'The page this answer holds (1-based).' },
        },
        required: ['items', 'total', 'totalPages', 'page'],
      },
    };
  }
  const types = typeof schema.type === 'string' ? [schema.type] : (schema.type ?? []);
  if (types.includes('object') || (schema.properties && !types.length)) {
    // structuredContent is an object: a nullable object answer still is one when the store sends it.
    return { list: false, schema: { ...schema, type: 'object' } };
  }
  if (types.includes('array'))
    return {
      list: false,
      wrap: 'items',
      schema: { type: 'object', properties: { items: schema }, required: ['items'] },
    };
  return {
    list: false,
    wrap: 'result',
    schema: { type: 'object', properties: { result: schema }, required: ['result'] },
  };
}

function describe(
  op: Node,
  facts: { permission: string; resource: string; actions: ActionRule[]; list: boolean },
): string {
  const parts: string[] = [];
  const summary = typeof op.summary === 'string' ? op.summary.trim() : '';
  const text = typeof op.description === 'string' ? op.description.trim().replace(/\s*\n\s*/g, ' ') : '';
  if (summary) parts.push(/[.!?]$/.test(summary) ? summary : `${summary}.`);
  if (text) parts.push(text);
  const event = op['x-wc-webhook-event'];
  parts.push(
    `Needs a ${facts.permission} key; acts on ${facts.resource}; ${event ? `fires the ${event} webhook` : 'fires no webhook'}.`,
  );
  for (const rule of facts.actions) {
    const what = ACTIONS[rule.action as ActionName];
    parts.push(
      `Action ${rule.action}${rule.when ? ` (when ${rule.when} is given)` : ''}: ${what}; a policy may forbid it.`,
    );
  }
  if (facts.list)
    parts.push('Answers one page as { items, total, totalPages, page }; ask for the next page with page.');
  return parts.join(' ');
}
