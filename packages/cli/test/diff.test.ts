// `wooapi diff --emit-overlay` against a store on 127.0.0.1: WooCommerce 11.0.1's own route index (the reference
// data) with a plugin's route and field added, as a store with the badge plugin would serve it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { hasShared, sharedDir, wooapi } from './helpers.js';

const work = mkdtempSync(join(tmpdir(), 'wooapi-cli-diff-'));
let server: Server | undefined;
let store = '';
const seen: Array<{ url: string; authorization?: string }> = [];

if (!hasShared)
  console.warn(
    `wooapi diff against the reference store skipped: ../shared not found (looked in ${sharedDir}; set WOOAPI_SHARED)`,
  );

beforeAll(async () => {
  if (!hasShared) return;
  const index = JSON.parse(
    readFileSync(join(sharedDir, 'reference/woocommerce-11.0.1/wc-v3-index.json'), 'utf8'),
  );
  const item = '/wc/v3/products/(?P<id>[\\d]+)';
  const context = index.routes[item].endpoints[0].args.context;
  index.routes['/wc/v3/products/(?P<id>[\\d]+)/badges'] = {
    namespace: 'wc/v3',
    methods: ['GET'],
    endpoints: [{ methods: ['GET'], args: { id: { type: 'integer', description: 'Product ID.' }, context } }],
    schema: {
      title: 'product_badge',
      type: 'object',
      properties: {
        id: { type: 'integer', description: 'Badge ID.', context: ['view'], readonly: true },
        label: { type: 'string', description: 'What the badge says.', context: ['view', 'edit'] },
      },
    },
  };
  for (const route of ['/wc/v3/products', item]) {
    index.routes[route].schema.properties._custom_badge = {
      type: 'string',
      description: 'The badge shown on the product card.',
      context: ['view', 'edit'],
    };
  }
  const body = JSON.stringify(index);
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    if (req.url === '/wp-json/wc/v3?context=help')
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    else res.writeHead(404).end('{}');
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  store = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => (server ? server.close(r) : r(null)));
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!hasShared)('wooapi diff --store against a store with the badge plugin', () => {
  const draft = join(work, 'draft.overlay.yaml');
  let result: Awaited<ReturnType<typeof wooapi>>;
  beforeAll(async () => {
    result = await wooapi([
      'diff',
      '--store',
      store,
      '--key',
      'ck_test',
      '--secret',
      'cs_test',
      '--emit-overlay',
      draft,
    ]);
  });

  it('reads the route index with the credentials, and says what it drafted', () => {
    expect(result.code, result.stderr).toBe(0);
    expect(seen.at(-1)?.url).toBe('/wp-json/wc/v3?context=help');
    expect(seen.at(-1)?.authorization).toBe(`Basic ${Buffer.from('ck_test:cs_test').toString('base64')}`);
    expect(result.stdout).toContain('drafted 3 action(s)');
    expect(result.stdout).not.toContain('cs_test');
  });

  it("drafts the plugin's route and field first, each marked as drafted from the declaration", () => {
    const text = readFileSync(draft, 'utf8');
    const overlay = parse(text);
    expect(overlay.overlay).toBe('1.0.0');
    const targets = overlay.actions.map((a: { target: string }) => a.target);
    expect(targets).toEqual(['$.components.schemas', '$.paths', '$.components.schemas.Product.properties']);
    for (const a of overlay.actions) {
      expect(a['x-wooapi-drafted']).toBe('declaration');
      expect(a.description).toContain("Drafted from the store's declared schema");
    }
    const route = overlay.actions[1].update['/products/{id}/badges'].get;
    expect(route.operationId).toBe('listProductBadges');
    expect(route.responses['200'].content['application/json'].schema).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/ProductBadge' },
    });
    expect(overlay.actions[0].update.ProductBadge.properties.id).toEqual({
      type: 'integer',
      description: 'Badge ID.',
      readOnly: true,
    });
    expect(overlay.actions[2].update._custom_badge).toEqual({
      type: 'string',
      description: 'The badge shown on the product card.',
    });
  });

  it("lists WooCommerce's own declared-schema differences after the actions, as comments", () => {
    const text = readFileSync(draft, 'utf8');
    const noise = text.indexOf("# WooCommerce's own declared schema differs");
    expect(noise).toBeGreaterThan(text.indexOf('_custom_badge'));
    expect(text.slice(noise)).toMatch(/^# {3}- property \w+ of /m);
    expect(text.slice(noise)).not.toContain('_custom_badge');
  });

  it('drafts an overlay that wooapi generate applies and lints cleanly', async () => {
    const out = join(work, 'woo');
    const r = await wooapi(['generate', '--overlay', draft, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(out, 'types.d.ts'), 'utf8')).toContain('_custom_badge?: string;');
  });
});

describe('wooapi diff refuses what it must not do', () => {
  it('sends no key and secret in clear text to a store on the network', async () => {
    const r = await wooapi([
      'diff',
      '--store',
      'http://shop.example.com',
      '--key',
      'ck_x',
      '--secret',
      'cs_secret',
      '--emit-overlay',
      join(work, 'x.yaml'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Refusing to send the key and secret over http: to shop.example.com');
    expect(r.stderr).not.toContain('cs_secret');
  });

  it('stops reading a store that answers without end, or a page that is not an index', async () => {
    const hostile = createServer((req, res) => {
      if (req.url?.startsWith('/html/')) {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><p>Maintenance</p>');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"routes":{');
      const pump = () => {
        while (res.write('"/wc/v3/x":{"methods":["GET"]},'.repeat(2000)));
        res.once('drain', pump);
      };
      pump();
    });
    await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', r));
    const at = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
    try {
      const endless = await wooapi(['diff', '--store', at, '--emit-overlay', join(work, 'e.yaml')]);
      expect(endless.code).toBe(1);
      expect(endless.stderr).toMatch(/answered more than 32 MiB \(a route index is about 0\.5 MB\)/);
      const html = await wooapi(['diff', '--store', `${at}/html`, '--emit-overlay', join(work, 'h.yaml')]);
      expect(html.code).toBe(1);
      expect(html.stderr).toMatch(
        /is not a route index: expected the JSON of GET \/wp-json\/wc\/v3\?context=help/,
      );
    } finally {
      hostile.closeAllConnections();
      await new Promise((r) => hostile.close(r));
    }
  });

  it('needs a store or an index, and a file to write', async () => {
    const none = await wooapi(['diff', '--emit-overlay', join(work, 'x.yaml')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('exactly one of --store URL or --index FILE');
    const noEmit = await wooapi(['diff', '--index', 'index.json']);
    expect(noEmit.code).toBe(2);
    expect(noEmit.stderr).toContain('--emit-overlay FILE');
  });
});
