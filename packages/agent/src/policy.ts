// The policy: its loader (validated against policy.schema.json, then against the registry; fails closed) and the
// one decide() that every transport and adapter calls.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, resolve } from 'node:path';
import type { ErrorObject } from 'ajv';
import { parseDocument } from 'yaml';
import { ACTION_NAMES, type ActionName, actionsOf } from './actions.js';
import type { Registry } from './registry.js';
import type { ToolDefinition } from './tools/build.js';

export type Level = 'off' | 'read' | 'full';
export type Switch = 'off' | 'on';
export type ToolRule = Switch | { arguments: string[] };

export interface AgentPolicy {
  name: string;
  description?: string;
  tokenSha256?: string;
  resources: Record<string, Level>;
  actions: Partial<Record<ActionName, Switch>>;
  tools: Record<string, ToolRule>;
}

export interface Policy {
  /** The file it was read from (absolute), for messages. */
  file: string;
  store: { url?: string; key?: string; secret?: string };
  audit: { file?: string; pii: 'redact' | 'include' };
  stdioAgent?: string;
  agents: Map<string, AgentPolicy>;
}

export interface Decision {
  allowed: boolean;
  /** The rule that decided, as the policy file spells it: `orders: read`, `actions.refund: off`. */
  rule: string;
  /** The named actions this call performs. */
  actions: ActionName[];
}

const require = createRequire(import.meta.url);
export const policySchemaPath = (): string => require.resolve('../policy.schema.json');

export class PolicyError extends Error {
  override name = 'PolicyError';
}

// biome-ignore lint/suspicious/noExplicitAny: Ajv is CommonJS; take its default export whichever way it arrives.
const unwrap = (m: any) => m.default?.default ?? m.default ?? m;
let validateFile: ((value: unknown) => boolean) & { errors?: ErrorObject[] | null };
function schemaValidator() {
  if (!validateFile) {
    const Ajv2020 = unwrap(require('ajv/dist/2020'));
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    validateFile = ajv.compile(JSON.parse(readFileSync(policySchemaPath(), 'utf8')));
  }
  return validateFile;
}

const at = (pointer: string) =>
  pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.') || '(top level)';

/** Ajv's errors as sentences that name the key. */
function describeErrors(errors: ErrorObject[], doc: unknown): string[] {
  const valueAt = (pointer: string): unknown =>
    pointer
      .split('/')
      .slice(1)
      .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))
      // biome-ignore lint/suspicious/noExplicitAny: walking parsed YAML
      .reduce<any>((o, k) => (o == null ? o : o[k]), doc);
  const out = new Set<string>();
  for (const e of errors) {
    const where = at(e.instancePath);
    const p = e.params as Record<string, unknown>;
    if (e.keyword === 'additionalProperties') {
      const key = String(p.additionalProperty);
      const hint =
        key === 'token'
          ? ': store only token_sha256, the SHA-256 of the token (`wooapi-mcp hash-token`), never the token'
          : '';
      out.add(`unknown key "${key}" in ${where}${hint}`);
    } else if (e.keyword === 'enum') {
      out.add(
        `${where}: ${JSON.stringify(valueAt(e.instancePath))} is not one of ${(p.allowedValues as unknown[]).join(', ')}`,
      );
    } else if (e.keyword === 'pattern' && where.endsWith('token_sha256')) {
      out.add(
        `${where}: must be 64 lowercase hex digits (the SHA-256 of the token, from \`wooapi-mcp hash-token\`)`,
      );
    } else if (e.keyword === 'propertyNames' || (e.keyword === 'pattern' && e.propertyName)) {
      out.add(
        `${where}: the name "${e.propertyName ?? p.propertyName}" is not allowed (lowercase letters, digits, _ and -)`,
      );
    } else if (e.keyword === 'required') {
      out.add(`${where}: "${p.missingProperty}" is required`);
    } else if (e.keyword === 'oneOf' || e.keyword === 'if') {
      // The branches' own errors say more.
    } else if (e.keyword === 'minLength') {
      out.add(`${where}: must not be empty`);
    } else {
      out.add(`${where}: ${e.message}`);
    }
  }
  return [...out];
}

/** Reads and checks a policy file (YAML or JSON). Throws a PolicyError naming the file and every problem. */
export function loadPolicy(file: string, registry: Registry): Policy {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PolicyError(
      `policy ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  return parsePolicy(text, path, registry);
}

/** As loadPolicy, from text; `path` names the file in messages and anchors `audit.file`. */
export function parsePolicy(text: string, path: string, registry: Registry): Policy {
  const fail = (problems: string[]): never => {
    throw new PolicyError(
      `policy ${path} is refused, wooapi-mcp will not start:\n  - ${problems.join('\n  - ')}\nSee the policy format in the @wooapi/agent README.`,
    );
  };
  if (!['.yaml', '.yml', '.json'].includes(extname(path).toLowerCase()))
    fail([`the file name must end in .yaml, .yml or .json`]);
  // JSON is YAML 1.2: one parser for both, and it refuses duplicate keys (JSON.parse keeps the last one silently).
  const parsed = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (parsed.errors.length) {
    fail(
      parsed.errors.map((e) => {
        const line = e.linePos?.[0] ? ` (line ${e.linePos[0].line})` : '';
        return /unique/i.test(e.message)
          ? `duplicate key${line}: every key, agent names included, may appear once`
          : `not valid YAML/JSON${line}: ${e.message.split('\n')[0]}`;
      }),
    );
  }
  const raw = parsed.toJS() as Record<string, unknown> | null;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    fail(['the file must hold an object with agents']);
  const validate = schemaValidator();
  if (!validate(raw)) fail(describeErrors(validate.errors ?? [], raw));
  // biome-ignore lint/suspicious/noExplicitAny: validated against policy.schema.json just above.
  const doc = raw as any;

  const problems: string[] = [];
  const known = new Set([...registry.toolsets, ...registry.resources]);
  const agents = new Map<string, AgentPolicy>();
  const hashes = new Map<string, string>();
  // biome-ignore lint/suspicious/noExplicitAny: validated against policy.schema.json above.
  for (const [name, a] of Object.entries<any>(doc.agents)) {
    const where = `agents.${name}`;
    for (const key of Object.keys(a.resources ?? {})) {
      if (!known.has(key))
        problems.push(
          `${where}.resources.${key}: unknown resource (toolsets: ${registry.toolsets.join(', ')}; or an x-wc-resource such as ${registry.resources.slice(0, 4).join(', ')})`,
        );
    }
    for (const [toolName, rule] of Object.entries<ToolRule>(a.tools ?? {})) {
      const tool = registry.byName.get(toolName);
      if (!tool) {
        problems.push(
          `${where}.tools.${toolName}: unknown tool (names are snake_case operationIds, e.g. update_order)`,
        );
        continue;
      }
      if (typeof rule === 'object') {
        for (const arg of rule.arguments) {
          if (!(arg in (tool.inputSchema.properties ?? {})))
            problems.push(
              `${where}.tools.${toolName}.arguments: ${toolName} has no argument "${arg}" (it has ${Object.keys(tool.inputSchema.properties ?? {}).join(', ')})`,
            );
        }
        for (const req of tool.inputSchema.required ?? []) {
          if (!rule.arguments.includes(req))
            problems.push(
              `${where}.tools.${toolName}.arguments: must include the required argument "${req}"`,
            );
        }
      }
      if (rule !== 'off') {
        for (const r of tool.actions) {
          if (r.when === undefined && a.actions?.[r.action] === 'off')
            problems.push(
              `${where}.tools.${toolName} allows the tool but ${where}.actions.${r.action} is off: remove one of the two`,
            );
        }
      }
    }
    if (a.token_sha256 !== undefined) {
      const other = hashes.get(a.token_sha256);
      if (other)
        problems.push(`${where}.token_sha256: the same token as agents.${other}; give each agent its own`);
      hashes.set(a.token_sha256, name);
    }
    agents.set(name, {
      name,
      ...(a.description ? { description: a.description } : {}),
      ...(a.token_sha256 ? { tokenSha256: a.token_sha256 } : {}),
      resources: a.resources ?? {},
      actions: a.actions ?? {},
      tools: a.tools ?? {},
    });
  }
  if (doc.stdio?.agent !== undefined && !agents.has(doc.stdio.agent))
    problems.push(
      `stdio.agent: no agent named "${doc.stdio.agent}" (agents: ${[...agents.keys()].join(', ')})`,
    );
  if (problems.length) fail(problems);
  return {
    file: path,
    store: doc.store ?? {},
    audit: {
      ...(doc.audit?.file && doc.audit.file !== 'stderr'
        ? { file: resolve(dirname(path), doc.audit.file) }
        : {}),
      pii: doc.audit?.pii ?? 'redact',
    },
    ...(doc.stdio?.agent ? { stdioAgent: doc.stdio.agent } : {}),
    agents,
  };
}

/** The agent by name, or a PolicyError that lists the agents. */
export function agentOf(policy: Policy, name: string | undefined): AgentPolicy {
  const names = [...policy.agents.keys()];
  if (!name) {
    throw new PolicyError(
      `policy ${policy.file}: name the agent with --agent NAME or stdio.agent (agents: ${names.join(', ')})`,
    );
  }
  const agent = policy.agents.get(name);
  if (!agent)
    throw new PolicyError(`policy ${policy.file}: no agent named "${name}" (agents: ${names.join(', ')})`);
  return agent;
}

const RANK: Record<Level, number> = { off: 0, read: 1, full: 2 };

/**
 * Whether `agent` may call `tool` with `args`. Most specific rule first: the tool's own entry, then a named action
 * that is off, then a named action that is on (where the agent can read the resource), then the resource's level
 * (its x-wc-resource, else its toolset): `read` allows operations needing a read key, `full` all. Nothing else is
 * allowed.
 */
export function decide(
  agent: AgentPolicy,
  tool: ToolDefinition,
  args: Record<string, unknown> = {},
): Decision {
  const actions = actionsOf(tool.actions, args);
  const deny = (rule: string): Decision => ({ allowed: false, rule, actions });
  const allow = (rule: string): Decision => ({ allowed: true, rule, actions });
  const offAction = actions.find((a) => agent.actions[a] === 'off');

  const own = agent.tools[tool.name];
  if (own !== undefined) {
    if (own === 'off') return deny(`tools.${tool.name}: off`);
    if (typeof own === 'object') {
      const extra = Object.keys(args).filter((k) => !own.arguments.includes(k));
      if (extra.length)
        return deny(`tools.${tool.name}: only ${own.arguments.join(', ')}; not ${extra.join(', ')}`);
    }
    if (offAction) return deny(`actions.${offAction}: off`);
    return allow(
      typeof own === 'object' ? `tools.${tool.name}: ${own.arguments.join(', ')}` : `tools.${tool.name}: on`,
    );
  }
  if (offAction) return deny(`actions.${offAction}: off`);

  const key = agent.resources[tool.resource] !== undefined ? tool.resource : tool.toolset;
  const level = agent.resources[key];
  if (level === undefined) return deny(`default: off, no rule for ${tool.toolset} or ${tool.resource}`);
  if (actions.length && actions.every((a) => agent.actions[a] === 'on') && RANK[level] >= RANK.read)
    return allow(actions.map((a) => `actions.${a}: on`).join(', '));
  const needed: Level = tool.permission === 'read' ? 'read' : 'full';
  return RANK[level] >= RANK[needed] ? allow(`${key}: ${level}`) : deny(`${key}: ${level}`);
}

/** Listed in tools/list: allowed for a call that triggers no conditional action. */
export const isVisible = (agent: AgentPolicy, tool: ToolDefinition): boolean =>
  decide(agent, tool, {}).allowed;

export { ACTION_NAMES };
