// wooapi-mcp refuses to start on bad input, naming what is wrong; --spec builds the tools from a user's bundle at
// start-up with the same code as the build.
import { readFileSync } from 'node:fs';
import { type MockServer, startMock } from '@wooapi/mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bundlePath, connectStdio, KEY, runCli, SECRET, storeEnv, tempDir, writeFile } from './helpers.js';

// Real processes (wooapi-mcp, Prism) on a 2-core machine shared with parallel builds: generous limits, the
// assertions decide.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const dir = tempDir();
const good = writeFile(dir, 'good.yaml', 'agents:\n  ops: { resources: { orders: read } }\n');
const env = storeEnv('http://127.0.0.1:9');

describe('wooapi-mcp refuses to start', () => {
  it.each([
    ['without a policy', [], {}, /no policy: wooapi-mcp needs --policy FILE/],
    [
      'with a policy holding an unknown key',
      ['--policy', writeFile(dir, 'bad.yaml', 'agents:\n  ops: { resorces: { orders: read } }\n')],
      env,
      /policy .*bad\.yaml is refused.*\n.*unknown key "resorces" in agents\.ops/,
    ],
    [
      'without a store',
      ['--policy', good, '--agent', 'ops'],
      {},
      /no store to work on: set WOOCOMMERCE_URL, WOOCOMMERCE_KEY, WOOCOMMERCE_SECRET/,
    ],
    [
      'without an agent to run as',
      ['--policy', good],
      env,
      /name the agent with --agent NAME or stdio\.agent \(agents: ops\)/,
    ],
    [
      'with an unknown agent',
      ['--policy', good, '--agent', 'root'],
      env,
      /no agent named "root" \(agents: ops\)/,
    ],
    [
      'with an unknown toolset',
      ['--policy', good, '--agent', 'ops', '--toolsets', 'order'],
      env,
      /unknown toolset order \(known: products, /,
    ],
    ['with an unknown flag', ['--policy', good, '--allow-all'], env, /Unknown option '--allow-all'/],
    [
      'with a --spec that is not JSON',
      ['--policy', good, '--agent', 'ops', '--spec', writeFile(dir, 'x.json', '{')],
      env,
      /--spec .*x\.json: cannot read it as JSON/,
    ],
    [
      'with a store URL holding credentials',
      ['--policy', good, '--agent', 'ops'],
      { ...env, WOOCOMMERCE_URL: 'https://ck:cs@shop.example' },
      /must not hold credentials/,
    ],
  ])('%s', async (_what, args, e, expected) => {
    const r = await runCli(args as string[], e as Record<string, string>);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(expected as RegExp);
    expect(r.stderr).not.toContain(SECRET);
    expect(r.stderr).not.toContain(KEY);
  });
});

describe('token helpers', () => {
  it('hash-token prints the SHA-256 of stdin; new-token a token with its hash', async () => {
    const r = await runCli(['hash-token'], {}, 'my-token\n');
    const { createHash } = await import('node:crypto');
    expect(r.stdout.trim()).toBe(createHash('sha256').update('my-token').digest('hex'));
    const n = await runCli(['new-token']);
    const [, token, hash] = /token:\s+(\S+)\ntoken_sha256: ([0-9a-f]{64})/.exec(n.stdout) ?? [];
    expect(
      createHash('sha256')
        .update(token as string)
        .digest('hex'),
    ).toBe(hash);
  });
});

describe('--spec: an extended bundle', () => {
  let mock: MockServer;
  let spec: string;
  beforeAll(async () => {
    // A user's extension: a plugin route, GET /orders/{id}/tracking, added to a copy of the bundle.
    const doc = JSON.parse(readFileSync(bundlePath, 'utf8'));
    doc.paths['/orders/{id}/tracking'] = {
      get: {
        operationId: 'getOrderTracking',
        summary: 'Get the shipment tracking of an order',
        tags: ['Orders'],
        'x-wc-permission': 'read',
        'x-wc-resource': 'order',
        'x-wc-webhook-event': null,
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'integer', examples: [727] } },
        ],
        responses: {
          '200': {
            description: 'The tracking',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { carrier: { type: 'string' }, number: { type: 'string' } },
                },
                example: { carrier: 'DHL', number: 'JD0146' },
              },
            },
          },
          '401': doc.paths['/orders/{id}'].get.responses['401'],
        },
      },
    };
    spec = writeFile(dir, 'extended.json', JSON.stringify(doc));
    mock = await startMock({ spec });
  });
  afterAll(async () => {
    await mock?.stop();
  });

  it("serves the extension's tool under the same policy", async () => {
    const c = await connectStdio(['--policy', good, '--agent', 'ops', '--spec', spec], storeEnv(mock.url));
    try {
      const names = (await c.client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('get_order_tracking');
      expect(names).not.toContain('get_product');
      const r: any = await c.client.callTool({ name: 'get_order_tracking', arguments: { id: 727 } });
      expect(r.structuredContent).toEqual({ carrier: 'DHL', number: 'JD0146' });
    } finally {
      await c.close();
    }
  });

  it('refuses a bundle naming an undefined action', async () => {
    const doc = JSON.parse(readFileSync(spec, 'utf8'));
    doc.paths['/orders/{id}/tracking'].get['x-wc-action'] = 'ship';
    const bad = writeFile(dir, 'bad-action.json', JSON.stringify(doc));
    const r = await runCli(['--policy', good, '--agent', 'ops', '--spec', bad], storeEnv(mock.url));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('GET /orders/{id}/tracking x-wc-action: unknown action "ship"');
  });
});
