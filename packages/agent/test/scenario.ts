// The end-to-end scenario, run over stdio and over Streamable HTTP: a real MCP client (the SDK's), the real
// wooapi-mcp process, the real Prism mock as the store. `open(agent, flags)` connects as that agent.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { type MockServer, startMock } from '@wooapi/mock';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decide, loadRegistry } from '../dist/index.js';
import { auditLines, type Connected, eventually, KEY, SECRET, tempDir, writeFile } from './helpers.js';

export const TOKENS = {
  'store-ops': 'tok-store-ops-7f3a9c',
  reader: 'tok-reader-1b2d3e',
  manager: 'tok-manager-9e8d7c',
};
const hash = (t: string) => createHash('sha256').update(t).digest('hex');

export function policyText(): string {
  return `audit: { file: audit.jsonl }
agents:
  store-ops:
    description: Reads orders and products, moves orders along; never refunds or deletes.
    token_sha256: "${hash(TOKENS['store-ops'])}"
    resources: { orders: read, products: read }
    actions: { refund: off, delete: off }
    tools:
      update_order: { arguments: [id, status] }
  reader:
    token_sha256: "${hash(TOKENS.reader)}"
    resources: { orders: read, products: read, customers: read }
  manager:
    token_sha256: "${hash(TOKENS.manager)}"
    resources: { orders: full, refunds: full }
    actions: { refund: off }
`;
}

export interface ScenarioContext {
  mock: MockServer;
  dir: string;
  policy: string;
  audit: string;
}

type Open = (ctx: ScenarioContext, agent: keyof typeof TOKENS, flags?: string[]) => Promise<Connected>;

const registry = loadRegistry();
const text = (r: any) => (r.content as { text: string }[]).map((c) => c.text).join('\n');

export function scenario(open: Open, afterAllExtra?: () => Promise<void>) {
  const ctx = {} as ScenarioContext;
  const opened: Connected[] = [];
  const connect = async (agent: keyof typeof TOKENS, flags: string[] = []) => {
    const c = await open(ctx, agent, flags);
    opened.push(c);
    return c.client;
  };
  beforeAll(async () => {
    ctx.mock = await startMock();
    ctx.dir = tempDir();
    ctx.policy = writeFile(ctx.dir, 'policy.yaml', policyText());
    ctx.audit = `${ctx.dir}/audit.jsonl`;
  });
  afterAll(async () => {
    for (const c of opened) await c.close().catch(() => {});
    await afterAllExtra?.();
    await ctx.mock?.stop();
  });
  const lineFor = (pred: (l: any) => boolean) => eventually(() => auditLines(ctx.audit).find(pred));

  it('tools/list holds exactly what the policy allows store-ops', async () => {
    const client: Client = await connect('store-ops');
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name).sort();
    const agent = {
      name: 'store-ops',
      resources: { orders: 'read', products: 'read' },
      actions: { refund: 'off', delete: 'off' },
      tools: { update_order: { arguments: ['id', 'status'] } },
    } as const;
    const expected = registry.tools
      .filter((t) => decide(agent as any, t, {}).allowed)
      .map((t) => t.name)
      .sort();
    expect(names).toEqual(expected);
    expect(names).toEqual(
      expect.arrayContaining(['list_orders', 'get_order', 'update_order', 'list_products', 'get_product']),
    );
    for (const t of tools)
      if (t.name !== 'update_order') expect(t.annotations?.readOnlyHint, t.name).toBe(true);
    expect(names.some((n) => /^(create|delete|batch)_/.test(n))).toBe(false);
    const update = tools.find((t) => t.name === 'update_order');
    expect(update?.inputSchema.properties).toHaveProperty('status');
    expect(update?.outputSchema?.type).toBe('object');
  });

  it('list_products answers structured items plus total; the SDK client checks them against the outputSchema', async () => {
    const client = await connect('store-ops');
    await client.listTools(); // the SDK client validates structuredContent against the listed outputSchema
    const result: any = await client.callTool({ name: 'list_products', arguments: { per_page: 5 } });
    expect(result.isError).toBeFalsy();
    expect(Array.isArray(result.structuredContent.items)).toBe(true);
    expect(result.structuredContent.items.length).toBeGreaterThan(0);
    expect(typeof result.structuredContent.items[0].id).toBe('number');
    expect(typeof result.structuredContent.total).toBe('number');
    expect(result.structuredContent.page).toBe(1);
    expect(JSON.parse(text(result))).toEqual(result.structuredContent);
    const line = await lineFor((l) => l.tool === 'list_products' && l.agent === 'store-ops');
    expect(line.sentence).toBe(
      `store-ops list products on ${new URL(ctx.mock.url).host}: allowed (products: read), the store answered 200`,
    );
  });

  it('store-ops updates an order status, and nothing else of the order', async () => {
    const client = await connect('store-ops');
    const ok: any = await client.callTool({
      name: 'update_order',
      arguments: { id: 727, status: 'completed' },
    });
    expect(ok.isError).toBeFalsy();
    expect(ok.structuredContent.id).toBe(727);
    const no: any = await client.callTool({
      name: 'update_order',
      arguments: { id: 727, status: 'completed', customer_note: 'free upgrade' },
    });
    expect(no.isError).toBe(true);
    expect(text(no)).toContain('denied (tools.update_order: only id, status; not customer_note)');
    const host = new URL(ctx.mock.url).host;
    expect((await lineFor((l) => l.tool === 'update_order' && l.decision === 'allowed')).sentence).toBe(
      `store-ops update order 727 on ${host}: allowed (tools.update_order: id, status), the store answered 200`,
    );
  });

  it('store-ops is refused a refund and a delete called by name, and each refusal is audited', async () => {
    const client = await connect('store-ops');
    const refund: any = await client.callTool({
      name: 'create_order_refund',
      arguments: { order_id: 727, amount: '5.00' },
    });
    expect(refund.isError).toBe(true);
    expect(text(refund)).toMatch(
      /Refused: store-ops create order refund of order 727 on .*: denied \(actions\.refund: off\)/,
    );
    const del: any = await client.callTool({ name: 'delete_order', arguments: { id: 727, force: true } });
    expect(del.isError).toBe(true);
    expect(text(del)).toContain('denied (actions.delete: off)');
    const line = await lineFor((l) => l.tool === 'create_order_refund' && l.agent === 'store-ops');
    expect(line).toMatchObject({
      decision: 'denied',
      rule: 'actions.refund: off',
      operationId: 'createOrderRefund',
      status: null,
      resourceId: { order_id: 727 },
    });
  });

  it('manager has orders and refunds at full: a refund is still denied by the action override', async () => {
    const client = await connect('manager');
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['create_order', 'delete_order', 'list_order_refunds']));
    expect(names).not.toContain('create_order_refund');
    const r: any = await client.callTool({
      name: 'create_order_refund',
      arguments: { order_id: 727, amount: '5.00' },
    });
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('denied (actions.refund: off)');
    const list: any = await client.callTool({ name: 'list_order_refunds', arguments: { order_id: 727 } });
    expect(list.isError).toBeFalsy();
  });

  it('--read-only: no write tool listed; one called by name is refused', async () => {
    const client = await connect('manager', ['--read-only']);
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThan(5);
    for (const t of tools) expect(t.annotations?.readOnlyHint, t.name).toBe(true);
    const r: any = await client.callTool({
      name: 'update_order',
      arguments: { id: 727, status: 'completed' },
    });
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('denied (read-only mode)');
  });

  it('discovery mode: three tools, the same policy inside call_operation', async () => {
    const client = await connect('manager', ['--discovery', '--read-only']);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['search_operations', 'describe_operation', 'call_operation']);
    const found: any = await client.callTool({
      name: 'search_operations',
      arguments: { query: 'list orders' },
    });
    expect(found.structuredContent.operations.map((o: any) => o.name)).toContain('list_orders');
    expect(found.structuredContent.operations.every((o: any) => o.readOnly)).toBe(true);
    const described: any = await client.callTool({
      name: 'describe_operation',
      arguments: { name: 'get_order' },
    });
    expect(JSON.parse(text(described)).inputSchema.required).toEqual(['id']);
    const got: any = await client.callTool({
      name: 'call_operation',
      arguments: { name: 'get_order', arguments: { id: 727 } },
    });
    expect(got.isError).toBeFalsy();
    expect(JSON.parse(text(got)).id).toBe(727);
    const write: any = await client.callTool({
      name: 'call_operation',
      arguments: { name: 'update_order', arguments: { id: 727, status: 'completed' } },
    });
    expect(write.isError).toBe(true);
    expect(text(write)).toContain('denied (read-only mode)');
    const refund: any = await client.callTool({
      name: 'describe_operation',
      arguments: { name: 'create_order_refund' },
    });
    expect(refund.isError).toBe(true);
    const line = await lineFor((l) => l.via === 'call_operation' && l.tool === 'update_order');
    expect(line.decision).toBe('denied');
  });

  it('invalid input is refused before the store sees it, and audited as such', async () => {
    const client = await connect('reader');
    const r: any = await client.callTool({ name: 'get_order', arguments: { id: 'seven' } });
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('Invalid input for get_order: id must be integer');
    const line = await lineFor((l) => l.agent === 'reader' && l.decision === 'invalid');
    expect(line.sentence).toMatch(
      /^reader read order seven on .*: refused as invalid input \(id must be integer\)$/,
    );
  });

  it('the store key and secret are in no result, log line or audit line; customer emails are redacted', async () => {
    const client = await connect('reader');
    await client.callTool({ name: 'list_customers', arguments: { email: 'ann@example.com' } });
    const line = await lineFor((l) => l.agent === 'reader' && l.tool === 'list_customers');
    expect(line.arguments).toEqual({ email: '[redacted]' });
    const everything = readFileSync(ctx.audit, 'utf8') + opened.map((c) => c.stderr()).join('\n');
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain('ann@example.com');
    for (const l of auditLines(ctx.audit)) {
      expect(typeof l.sentence).toBe('string');
      expect(['allowed', 'denied', 'invalid', 'error']).toContain(l.decision);
      for (const t of Object.values(TOKENS)) expect(JSON.stringify(l)).not.toContain(t);
    }
  });

  return ctx;
}
