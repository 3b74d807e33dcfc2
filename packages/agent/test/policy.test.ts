// The policy loader fails closed on every bad file, naming the file and what is wrong; decide() is the one rule.
import { describe, expect, it } from 'vitest';
import {
  decide,
  isVisible,
  loadPolicy,
  loadRegistry,
  PolicyError,
  type ToolDefinition,
} from '../dist/index.js';
import { tempDir, writeFile } from './helpers.js';

const registry = loadRegistry();
const dir = tempDir();
const tool = (n: string) => registry.byName.get(n) as ToolDefinition;
const HASH = 'a'.repeat(64);

function refused(name: string, text: string): string {
  const file = writeFile(dir, name, text);
  try {
    loadPolicy(file, registry);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    const message = (error as Error).message;
    expect(message).toContain(file);
    expect(message).toContain('will not start');
    return message;
  }
  throw new Error(`${name} was accepted`);
}

describe('the policy loader refuses bad files', () => {
  it.each([
    [
      'unknown top-level key',
      'agents:\n  a: {}\nallow_all: true\n',
      /unknown key "allow_all" in \(top level\)/,
    ],
    [
      'unknown agent key',
      'agents:\n  a:\n    resource: { orders: read }\n',
      /unknown key "resource" in agents\.a/,
    ],
    [
      'unknown resource',
      'agents:\n  a:\n    resources: { order_book: read }\n',
      /agents\.a\.resources\.order_book: unknown resource \(toolsets: products, /,
    ],
    [
      'wrong level',
      'agents:\n  a:\n    resources: { orders: write }\n',
      /agents\.a\.resources\.orders: "write" is not one of off, read, full/,
    ],
    [
      'unknown action',
      'agents:\n  a:\n    actions: { refunds: off }\n',
      /unknown key "refunds" in agents\.a\.actions/,
    ],
    [
      'wrong action value',
      'agents:\n  a:\n    actions: { refund: full }\n',
      /agents\.a\.actions\.refund: "full" is not one of off, on/,
    ],
    [
      'a YAML boolean where a level goes',
      'agents:\n  a:\n    actions: { refund: false }\n',
      /agents\.a\.actions\.refund: false is not one of off, on/,
    ],
    ['duplicate agents (YAML)', 'agents:\n  a: {}\n  a: {}\n', /duplicate key \(line 3\)/],
    [
      'duplicate agents (JSON)',
      '{"agents": {"a": {}, "a": {"resources": {"orders": "full"}}}}',
      /duplicate key/,
    ],
    [
      'empty token hash',
      'agents:\n  a:\n    token_sha256: ""\n',
      /agents\.a\.token_sha256: must be 64 lowercase hex digits/,
    ],
    [
      'a plain token',
      'agents:\n  a:\n    token: s3cret-token\n',
      /unknown key "token" in agents\.a: store only token_sha256/,
    ],
    [
      'the same token for two agents',
      `agents:\n  a: { token_sha256: "${HASH}" }\n  b: { token_sha256: "${HASH}" }\n`,
      /agents\.b\.token_sha256: the same token as agents\.a/,
    ],
    [
      'unknown tool',
      'agents:\n  a:\n    tools: { refund_everything: on }\n',
      /agents\.a\.tools\.refund_everything: unknown tool/,
    ],
    [
      'unknown tool argument',
      'agents:\n  a:\n    tools: { update_order: { arguments: [id, colour] } }\n',
      /update_order has no argument "colour"/,
    ],
    [
      'tool arguments without the required one',
      'agents:\n  a:\n    tools: { update_order: { arguments: [status] } }\n',
      /must include the required argument "id"/,
    ],
    [
      'a tool allowed whose action is off',
      'agents:\n  a:\n    actions: { refund: off }\n    tools: { create_order_refund: on }\n',
      /agents\.a\.tools\.create_order_refund allows the tool but agents\.a\.actions\.refund is off/,
    ],
    ['no agents', 'agents: {}\n', /agents: must NOT have fewer than 1 properties/],
    ['no agents key', 'store: { url: "https://x.example" }\n', /"agents" is required/],
    ['a bad agent name', 'agents:\n  "Store Ops": {}\n', /the name "Store Ops" is not allowed/],
    ['stdio agent unknown', 'stdio: { agent: b }\nagents:\n  a: {}\n', /stdio\.agent: no agent named "b"/],
    ['not YAML', 'agents: [\n', /not valid YAML\/JSON/],
    ['a list', '- a\n', /must hold an object|unknown|must be object/],
  ])('%s', (_what, text, expected) => {
    expect(refused('p.yaml', text)).toMatch(expected);
  });

  it('a file that is neither YAML nor JSON by name, or missing', () => {
    expect(refused('p.txt', 'agents:\n  a: {}\n')).toMatch(/must end in \.yaml, \.yml or \.json/);
    expect(() => loadPolicy(`${dir}/missing.yaml`, registry)).toThrow(/cannot read it \(ENOENT\)/);
  });

  it('accepts the README example, with every key', () => {
    const file = writeFile(
      dir,
      'ok.yaml',
      `# yaml-language-server: $schema=../policy.schema.json
version: 1
store: { url: "https://shop.example.com" }
audit: { file: audit.jsonl, pii: redact }
stdio: { agent: store-ops }
agents:
  store-ops:
    description: Ships orders and answers product questions.
    token_sha256: "${HASH}"
    resources: { orders: read, products: read }
    actions: { refund: off, delete: off }
    tools:
      update_order: { arguments: [id, status] }
`,
    );
    const policy = loadPolicy(file, registry);
    expect(policy.stdioAgent).toBe('store-ops');
    expect(policy.audit).toEqual({ file: `${dir}/audit.jsonl`, pii: 'redact' });
    expect(policy.agents.get('store-ops')?.tools.update_order).toEqual({ arguments: ['id', 'status'] });
  });
});

describe('decide', () => {
  const agent = (p: object) => ({ name: 'a', resources: {}, actions: {}, tools: {}, ...p });

  it('denies by default', () => {
    const d = decide(agent({}), tool('list_orders'));
    expect(d).toEqual({ allowed: false, rule: 'default: off, no rule for orders or order', actions: [] });
    expect(registry.tools.some((t) => isVisible(agent({}), t))).toBe(false);
  });

  it('read allows reads, full allows writes; an x-wc-resource entry wins over its toolset', () => {
    const a = agent({ resources: { orders: 'read', order_note: 'full' } });
    expect(decide(a, tool('get_order'))).toMatchObject({ allowed: true, rule: 'orders: read' });
    expect(decide(a, tool('update_order'))).toMatchObject({ allowed: false, rule: 'orders: read' });
    expect(decide(a, tool('create_order_note'))).toMatchObject({ allowed: true, rule: 'order_note: full' });
    expect(decide(agent({ resources: { orders: 'off' } }), tool('get_order'))).toMatchObject({
      allowed: false,
      rule: 'orders: off',
    });
  });

  it('an action that is off forbids its operations at any level, including conditional ones by their arguments', () => {
    const a = agent({
      resources: { orders: 'full', refunds: 'full', products: 'full' },
      actions: { refund: 'off', delete: 'off', send_customer_email: 'off' },
    });
    expect(decide(a, tool('create_order_refund'), { order_id: 1 })).toMatchObject({
      allowed: false,
      rule: 'actions.refund: off',
    });
    expect(decide(a, tool('list_order_refunds'))).toMatchObject({ allowed: true, rule: 'refunds: full' });
    expect(decide(a, tool('delete_product'))).toMatchObject({ allowed: false, rule: 'actions.delete: off' });
    expect(decide(a, tool('batch_products'), { update: [{ id: 1 }] })).toMatchObject({
      allowed: true,
      actions: ['batch'],
    });
    expect(decide(a, tool('batch_products'), { update: [], delete: [3] })).toMatchObject({
      allowed: false,
      rule: 'actions.delete: off',
    });
    expect(decide(a, tool('create_order_note'), { order_id: 1, note: 'packed' })).toMatchObject({
      allowed: true,
    });
    expect(
      decide(a, tool('create_order_note'), { order_id: 1, note: 'hi', customer_note: true }),
    ).toMatchObject({ allowed: false, rule: 'actions.send_customer_email: off' });
    // Listed: it can be called without the conditional action.
    expect(isVisible(a, tool('create_order_note'))).toBe(true);
    expect(isVisible(a, tool('create_order_refund'))).toBe(false);
  });

  it('an action that is on allows its operations where the agent can read, not where it is off', () => {
    expect(
      decide(
        agent({ resources: { refunds: 'read' }, actions: { refund: 'on' } }),
        tool('create_order_refund'),
      ),
    ).toMatchObject({ allowed: true, rule: 'actions.refund: on' });
    expect(decide(agent({ actions: { refund: 'on' } }), tool('create_order_refund'))).toMatchObject({
      allowed: false,
    });
  });

  it('a tool entry is the most specific rule; with arguments it allows only those', () => {
    const a = agent({
      resources: { orders: 'read' },
      tools: { update_order: { arguments: ['id', 'status'] }, get_order: 'off' },
    });
    expect(decide(a, tool('update_order'), { id: 1, status: 'completed' })).toMatchObject({
      allowed: true,
      rule: 'tools.update_order: id, status',
    });
    expect(decide(a, tool('update_order'), { id: 1, status: 'completed', billing: {} })).toMatchObject({
      allowed: false,
      rule: 'tools.update_order: only id, status; not billing',
    });
    expect(decide(a, tool('get_order'), { id: 1 })).toMatchObject({
      allowed: false,
      rule: 'tools.get_order: off',
    });
    expect(decide(a, tool('list_orders'))).toMatchObject({ allowed: true });
  });
});
