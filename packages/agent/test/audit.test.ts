// The audit line: redaction, secrets, sentences, and a store error from a real (hostile) HTTP server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAudit, createGateway, redact } from '../dist/index.js';
import { auditLines, KEY, SECRET, storeEnv, tempDir, writeFile } from './helpers.js';

describe('redact', () => {
  it('always hides secrets; hides PII unless included', () => {
    const args = {
      email: 'ann@example.com',
      billing: { first_name: 'Ann', phone: '555', country: 'US' },
      secret: 'whsec',
      search: 'bob@example.com',
      note: 'call ann@example.com',
      status: 'completed',
      line_items: [{ product_id: 1, quantity: 2 }],
    };
    expect(redact(args, false)).toEqual({
      email: '[redacted]',
      billing: { first_name: '[redacted]', phone: '[redacted]', country: 'US' },
      secret: '[redacted]',
      search: '[redacted]',
      note: '[redacted]',
      status: 'completed',
      line_items: [{ product_id: 1, quantity: 2 }],
    });
    expect(redact(args, true)).toMatchObject({
      email: 'ann@example.com',
      billing: { first_name: 'Ann' },
      secret: '[redacted]',
    });
  });

  it('scrubs the store key and secret from a line whatever field carries them', () => {
    const lines: string[] = [];
    const audit = createAudit({ sink: (l) => lines.push(l), secrets: [KEY, SECRET] });
    audit.record({
      agent: 'a',
      tool: 'get_order',
      operationId: 'getOrder',
      action: 'read',
      resource: 'order',
      resourceId: { id: 1 },
      store: 'shop.example.com',
      decision: 'error',
      rule: 'orders: read',
      status: 500,
      durationMs: 1,
      via: 'get_order',
      error: `boom ${KEY}:${SECRET}`,
    });
    expect(lines[0]).not.toContain(KEY);
    expect(lines[0]).not.toContain(SECRET);
    expect(JSON.parse(lines[0] as string).sentence).toBe(
      'a read order 1 on shop.example.com: allowed (orders: read), but the store answered 500 boom [redacted]:[redacted]',
    );
  });
});

describe('a store error', () => {
  let store: Server;
  let url: string;
  beforeAll(async () => {
    // A store that refuses every order: WooCommerce's 404 envelope, echoing the query string (with any key in it).
    store = createServer((req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          code: 'woocommerce_rest_shop_order_invalid_id',
          message: `Invalid ID. ${req.url}`,
          data: { status: 404 },
        }),
      );
    });
    await new Promise<void>((r) => store.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(store.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => store.close(() => r())));

  it('is one audit line with the status and code, and a tool error that says what to do, with no credential', async () => {
    const dir = tempDir();
    const audit = `${dir}/audit.jsonl`;
    const gateway = createGateway({
      policy: writeFile(dir, 'p.yaml', 'agents:\n  ops: { resources: { orders: read } }\n'),
      env: storeEnv(url),
      audit,
      client: { auth: 'query', allowInsecureLoopback: true, retry: false },
    });
    const result = await gateway.session('ops').call('get_order', { id: 9 });
    expect(result.isError).toBe(true);
    const text = result.content[0]?.text ?? '';
    expect(text).toMatch(/^The store answered 404 woocommerce_rest_shop_order_invalid_id: .*Check the ID\.$/);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(SECRET);
    const [line] = auditLines(audit);
    expect(line).toMatchObject({
      decision: 'error',
      status: 404,
      error: 'woocommerce_rest_shop_order_invalid_id',
      rule: 'orders: read',
    });
    expect(line.sentence).toBe(
      `ops read order 9 on 127.0.0.1:${new URL(url).port}: allowed (orders: read), but the store answered 404 woocommerce_rest_shop_order_invalid_id`,
    );
    expect(JSON.stringify(line)).not.toContain(SECRET);
  });
});
