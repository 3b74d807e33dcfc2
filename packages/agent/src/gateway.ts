// Everything a door needs, made once from the policy file: registry, policy, store, audit, and one session per
// agent. The MCP server, the AI SDK adapter and the JSON-function adapter all start here.
import { type Audit, createAudit, fileSink, stderrSink } from './audit.js';
import { agentOf, loadPolicy, type Policy } from './policy.js';
import { loadRegistry, type Registry, type Selection } from './registry.js';
import { AgentSession } from './session.js';
import { connectStore, type Store, type StoreOptions } from './store.js';

export interface GatewayOptions {
  /** The policy file (YAML or JSON). Required: without one nothing is allowed, so nothing starts. */
  policy: string;
  /** A bundled spec to build the tools from at start-up (default: the generated registry). */
  spec?: string;
  selection?: Selection;
  discovery?: boolean;
  /** `stderr`, or a file to append to; overrides the policy's audit.file. */
  audit?: string;
  env?: NodeJS.ProcessEnv;
  /** Extra store client options (timeouts, a fetch). */
  client?: StoreOptions['client'];
}

export interface Gateway {
  registry: Registry;
  policy: Policy;
  store: Store;
  audit: Audit;
  /** The session of one agent (by name); throws naming the agents when there is none. */
  session(agent: string | undefined): AgentSession;
}

export function createGateway(options: GatewayOptions): Gateway {
  if (!options.policy) {
    throw new Error(
      'no policy: wooapi-mcp needs --policy FILE naming each agent and what it may do (denied by default); see the @wooapi/agent README',
    );
  }
  const registry = loadRegistry(options.spec ? { specFile: options.spec } : {});
  const policy = loadPolicy(options.policy, registry);
  const store = connectStore(
    { ...policy.store, client: options.client },
    options.env ?? process.env,
    policy.file,
  );
  const auditTarget = options.audit ?? policy.audit.file ?? 'stderr';
  const audit = createAudit({
    sink: auditTarget === 'stderr' ? stderrSink : fileSink(auditTarget),
    includePii: policy.audit.pii === 'include',
    secrets: store.secrets,
  });
  const sessions = new Map<string, AgentSession>();
  return {
    registry,
    policy,
    store,
    audit,
    session(name) {
      const agent = agentOf(policy, name);
      let s = sessions.get(agent.name);
      if (!s) {
        s = new AgentSession({
          registry,
          agent,
          store,
          audit,
          ...(options.selection ? { selection: options.selection } : {}),
          ...(options.discovery ? { discovery: true } : {}),
        });
        sessions.set(agent.name, s);
      }
      return s;
    },
  };
}
