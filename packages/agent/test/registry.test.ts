// The generated registry against the bundle: one tool per operation, names, schemas every client can take, and the
// flat-input collision rule.
import { describe, expect, it } from 'vitest';
import { buildTools, loadRegistry, selectTools, TOOL_NAME, type ToolDefinition } from '../dist/index.js';
import { loadBundle, newAjv } from './helpers.js';

const doc = loadBundle();
const registry = loadRegistry();
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];
const operations = Object.entries(doc.paths).flatMap(([p, item]: [string, any]) =>
  METHODS.filter((m) => item[m]).map((m) => ({ path: p, method: m.toUpperCase(), op: item[m] })),
);

/** Every key used anywhere in a schema, to find keywords that should not be there. */
function keywords(node: unknown, out = new Set<string>(), parentIsMap = false): Set<string> {
  if (Array.isArray(node)) for (const n of node) keywords(n, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (!parentIsMap) out.add(k);
      keywords(v, out, !parentIsMap && (k === 'properties' || k === 'patternProperties'));
    }
  }
  return out;
}

describe('the registry', () => {
  it('has one tool per operation of the bundle, in document order', () => {
    expect(registry.tools.map((t) => `${t.method} ${t.path}`)).toEqual(
      operations.map((o) => `${o.method} ${o.path}`),
    );
    expect(registry.tools.length).toBe(operations.length);
  });

  it('is exactly what buildTools makes from the bundle now (the generated file is not stale)', () => {
    expect(JSON.parse(JSON.stringify(buildTools(doc)))).toEqual(registry.tools);
  });

  it('names tools after the operationId in snake_case, unique, at most 64 characters of [a-z0-9_]', () => {
    const names = registry.tools.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const t of registry.tools) {
      expect(t.name).toMatch(TOOL_NAME);
      expect(t.name.length).toBeLessThanOrEqual(64);
      expect(t.name.replace(/_/g, '')).toBe(t.operationId.toLowerCase());
    }
    expect(names).toEqual(
      expect.arrayContaining(['list_orders', 'create_order_refund', 'run_system_status_tool']),
    );
  });

  it('groups tools into toolsets named after the tags', () => {
    expect(registry.toolsets).toEqual(
      expect.arrayContaining([
        'orders',
        'products',
        'customers',
        'coupons',
        'reports',
        'webhooks',
        'refunds',
      ]),
    );
    for (const t of registry.tools) expect(t.toolset).toMatch(/^[a-z][a-z0-9_]*$/);
  });

  const ajv = newAjv({ strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true });
  it.each(registry.tools.map((t) => [t.name, t] as [string, ToolDefinition]))(
    '%s: input and output schemas compile with Ajv 2020-12 in strict mode, with no keyword clients reject',
    (_name, tool) => {
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.inputSchema.additionalProperties).toBe(false);
      expect(() => ajv.compile(tool.inputSchema)).not.toThrow();
      if (tool.outputSchema) {
        expect(tool.outputSchema.type).toBe('object');
        expect(() => ajv.compile(tool.outputSchema as object)).not.toThrow();
      }
      const used = keywords([tool.inputSchema, tool.outputSchema ?? {}]);
      for (const k of [
        '$ref',
        '$defs',
        '$schema',
        '$id',
        'format',
        'example',
        'examples',
        'readOnly',
        'writeOnly',
        'discriminator',
        'nullable',
      ])
        expect(used.has(k), `${tool.name} uses ${k}`).toBe(false);
      for (const k of used) expect(k.startsWith('x-'), `${tool.name} uses ${k}`).toBe(false);
      expect(tool.description.length).toBeGreaterThan(20);
      expect(tool.title).toBeTruthy();
    },
  );

  it('flat inputs hold path, query and body arguments, path ones required; readOnly body fields left out', () => {
    const byName = registry.byName;
    const update = byName.get('update_order') as ToolDefinition;
    expect(update.args.id).toEqual({ in: 'path', name: 'id' });
    expect(update.inputSchema.required).toContain('id');
    expect(update.args.status).toEqual({ in: 'body', name: 'status' });
    // date_created is readOnly on Order: the store sets it.
    expect(update.inputSchema.properties.date_created).toBeUndefined();
    const list = byName.get('list_orders') as ToolDefinition;
    expect(list.args.status).toEqual({ in: 'query', name: 'status' });
    expect(list.list).toBe(true);
    expect(list.outputSchema?.required).toEqual(['items', 'total', 'totalPages', 'page']);
    const locations = byName.get('update_shipping_zone_locations') as ToolDefinition;
    expect(locations.args.body).toEqual({ in: 'body', name: '' });
  });

  it('annotations follow method, permission and actions', () => {
    const a = (n: string) => registry.byName.get(n)?.annotations;
    expect(a('list_orders')).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
    });
    expect(a('delete_product')).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
    });
    expect(a('create_order_refund')).toMatchObject({
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: true,
    });
    expect(a('batch_products')).toMatchObject({ destructiveHint: true, idempotentHint: false });
    expect(a('batch_settings')).toMatchObject({ destructiveHint: false });
    expect(a('create_product')).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
    });
    expect(a('update_product')).toMatchObject({ destructiveHint: false, idempotentHint: true });
    expect(a('run_system_status_tool')).toMatchObject({ destructiveHint: true, idempotentHint: false });
  });

  it('descriptions tell the permission, the webhook and the side effects', () => {
    const d = (n: string) => registry.byName.get(n)?.description ?? '';
    expect(d('update_order')).toContain('fires the order.updated webhook');
    expect(d('create_order_refund')).toMatch(/Action refund: sends money back through the payment gateway/);
    expect(d('create_order_note')).toMatch(/Action send_customer_email \(when customer_note is given\)/);
    expect(d('list_orders')).toContain('Needs a read key');
  });

  it('selection: toolsets, tools, read-only (which overrides), and unknown names refused with the known ones', () => {
    const orders = selectTools(registry, { toolsets: ['orders'] });
    expect(new Set(orders.map((t) => t.toolset))).toEqual(new Set(['orders']));
    const mixed = selectTools(registry, { toolsets: ['coupons'], tools: ['get_product'] });
    expect(mixed.map((t) => t.name)).toContain('get_product');
    expect(mixed.every((t) => t.toolset === 'coupons' || t.name === 'get_product')).toBe(true);
    const ro = selectTools(registry, { toolsets: ['orders'], tools: ['delete_product'], readOnly: true });
    expect(ro.length).toBeGreaterThan(0);
    expect(ro.every((t) => t.annotations.readOnlyHint)).toBe(true);
    expect(() => selectTools(registry, { toolsets: ['order'] })).toThrow(
      /unknown toolset order \(known: .*orders/,
    );
    expect(() => selectTools(registry, { tools: ['listOrders'] })).toThrow(/unknown tool listOrders/);
  });
});

describe('buildTools on small documents', () => {
  const base = (op: object, params: object[] = []) => ({
    openapi: '3.1.0',
    paths: { '/things/{id}': { parameters: params, post: op } },
  });
  const op = (extra: object = {}) => ({
    operationId: 'updateThing',
    summary: 'Update a thing',
    tags: ['Things'],
    'x-wc-permission': 'write',
    'x-wc-resource': 'thing',
    'x-wc-webhook-event': null,
    responses: { '200': { description: 'ok' } },
    ...extra,
  });
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'integer' } };

  it('collisions: a body field named like a path parameter is left out; like a query parameter, it becomes body_<name>', () => {
    const [tool] = buildTools(
      base(
        op({
          parameters: [{ name: 'force', in: 'query', schema: { type: 'boolean' } }],
          requestBody: {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    id: { type: 'integer' },
                    force: { type: 'string' },
                    name: { type: 'string' },
                  },
                },
              },
            },
          },
        }),
        [idParam],
      ),
    );
    expect(tool?.args).toEqual({
      id: { in: 'path', name: 'id' },
      force: { in: 'query', name: 'force' },
      body_force: { in: 'body', name: 'force' },
      name: { in: 'body', name: 'name' },
    });
  });

  it('cuts a schema cycle instead of recursing forever', () => {
    const doc = {
      ...base(
        op({
          requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } } },
        }),
        [idParam],
      ),
      components: {
        schemas: {
          Node: {
            type: 'object',
            properties: { name: { type: 'string' }, child: { $ref: '#/components/schemas/Node' } },
          },
        },
      },
    };
    const [tool] = buildTools(doc);
    expect(tool?.inputSchema.properties.name).toEqual({ type: 'string' });
    expect(tool?.inputSchema.properties.child.description).toMatch(/a nested Node, not expanded/);
  });

  it('refuses what it cannot make a tool of, naming the operation', () => {
    expect(() => buildTools(base(op({ operationId: undefined }), [idParam]))).toThrow(
      /POST \/things\/\{id\}: no operationId/,
    );
    expect(() => buildTools(base(op({ 'x-wc-permission': 'admin' }), [idParam]))).toThrow(
      /x-wc-permission must be read or write/,
    );
    expect(() => buildTools(base(op({ 'x-wc-action': 'launch' }), [idParam]))).toThrow(
      /unknown action "launch"/,
    );
    expect(() => buildTools(base(op({ operationId: `update${'X'.repeat(70)}` }), [idParam]))).toThrow(
      /1-64 characters/,
    );
    expect(() => buildTools({ info: {} })).toThrow(/no paths/);
  });
});
