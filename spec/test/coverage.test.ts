// The coverage report's counting rules, on a small hand-made store index and spec, then a run of the real script.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareIndex, routeToPath } from '../lib/compare.mjs';
import { computeCoverage } from '../scripts/coverage.mjs';
import { bundlePath, hasShared, specDir, warnSharedMissing } from './helpers.js';

const index = {
  routes: {
    '/wc/v3': { endpoints: [{ methods: ['GET'], args: {} }] },
    '/wc/v3/things': {
      endpoints: [
        { methods: ['GET'], args: { page: {}, per_page: {}, colour: {} } },
        { methods: ['POST'], args: { name: {} } },
      ],
    },
    '/wc/v3/things/(?P<id>[\\d]+)': {
      endpoints: [
        { methods: ['GET'], args: { id: {}, context: {} } },
        { methods: ['POST', 'PUT', 'PATCH'], args: { id: {}, name: {}, size: {} } },
        { methods: ['DELETE'], args: { id: {}, force: {} } },
      ],
    },
    '/wc/v3/things/batch': { endpoints: [{ methods: ['POST', 'PUT', 'PATCH'], args: { name: {} } }] },
    '/wc/v3/marketplace/refresh': { endpoints: [{ methods: ['POST'], args: {} }] },
    '/wc/v3/paypal-standard/update': { endpoints: [{ methods: ['POST'], args: {} }] },
  },
};

const spec = {
  openapi: '3.1.0',
  paths: {
    '/things': {
      get: {
        parameters: [{ name: 'page', in: 'query' }, { $ref: '#/components/parameters/PerPage' }],
      },
    },
    // Named {thing_id} on purpose: path parameters match by position, not name.
    '/things/{thing_id}': {
      parameters: [{ name: 'thing_id', in: 'path' }],
      get: { parameters: [{ name: 'context', in: 'query' }] },
      put: {
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
      },
    },
    '/things/batch': {
      post: {
        requestBody: {
          content: {
            'application/json': {
              schema: { properties: { create: { items: { $ref: '#/components/schemas/Thing' } } } },
            },
          },
        },
      },
    },
    '/widgets': { get: { operationId: 'listWidgets' } },
  },
  components: {
    parameters: { PerPage: { name: 'per_page', in: 'query' } },
    schemas: { Thing: { allOf: [{ properties: { name: {} } }, { properties: { weight: {} } }] } },
  },
};

describe('coverage rules', () => {
  const report = computeCoverage(spec, index);

  it('turns registered route patterns into OpenAPI paths', () => {
    expect(routeToPath('/wc/v3/orders/(?P<order_id>[\\d]+)/notes/(?P<id>[\\d]+)')).toBe(
      '/orders/{order_id}/notes/{id}',
    );
    expect(routeToPath('/wc/v3/taxes/classes/(?P<slug>\\w[\\w\\s\\-]*)')).toBe('/taxes/classes/{slug}');
    expect(routeToPath('/wc/v3/data/currencies/(?P<currency>[\\w-]{3})')).toBe('/data/currencies/{currency}');
  });

  it('ignores the namespace index and the internal marketplace/* and paypal-* routes', () => {
    expect(report.ignored.map((i) => i.route).sort()).toEqual([
      '/',
      '/marketplace/refresh',
      '/paypal-standard/update',
    ]);
  });

  it('counts an endpoint taking POST, PUT and PATCH as one operation', () => {
    // things: GET, POST; things/{id}: GET, PUT(+POST+PATCH), DELETE; things/batch: PUT(+POST+PATCH)
    expect(report.operations.total).toBe(6);
    expect(report.operations.covered).toBe(4);
    expect(report.routes).toEqual({ covered: 1, total: 3 });
  });

  it('lists what the spec lacks, route and method', () => {
    expect(report.missing).toEqual([
      { route: '/things', method: 'POST' },
      { route: '/things/{id}', method: 'DELETE' },
    ]);
  });

  it('lists what the spec has that the store lacks', () => {
    expect(report.extra).toEqual([
      { path: '/widgets', method: 'GET', operationId: 'listWidgets', reason: 'the store has no such route' },
    ]);
  });

  it('lists accepted parameters the spec leaves out, through $ref, allOf and batch items', () => {
    expect(report.missingParams).toEqual([
      { route: '/things', method: 'GET', params: ['colour'] },
      { route: '/things/{id}', method: 'PUT (POST, PATCH)', params: ['size'] },
    ]);
    expect(report.renamedPathParams).toEqual([{ route: '/things/{id}', spec: '/things/{thing_id}' }]);
  });
});

describe('route x method pairs, through x-wc-method-aliases', () => {
  const withAliases = structuredClone(spec) as typeof spec & {
    paths: Record<string, Record<string, object>>;
  };
  Object.assign(withAliases.paths['/things/{thing_id}'].put, { 'x-wc-method-aliases': ['patch', 'post'] });
  Object.assign(withAliases.paths['/things/batch'].post, { 'x-wc-method-aliases': ['put'] });

  it('counts every method the index lists, served as documented, as an alias, or not at all', () => {
    const report = computeCoverage(withAliases, index);
    // things: GET, POST; things/{id}: GET, POST, PUT, PATCH, DELETE; things/batch: POST, PUT, PATCH
    expect(report.pairs).toEqual({ covered: 7, documented: 4, aliases: 3, total: 10 });
    expect(report.missingPairs).toEqual([
      { route: '/things', method: 'POST' },
      { route: '/things/{id}', method: 'DELETE' },
      { route: '/things/batch', method: 'PATCH' },
    ]);
  });

  it('serves no alias that is not declared', () => {
    const report = computeCoverage(spec, index);
    expect(report.pairs.aliases).toBe(0);
    expect(report.missingPairs.map((p) => `${p.method} ${p.route}`)).toContain('PATCH /things/{id}');
  });
});

// The rules lib/compare.mjs chose where coverage.mjs and `wooapi-mock diff` used to differ.
describe('comparison rules shared with wooapi-mock diff', () => {
  const json = (schema: object) => ({ content: { 'application/json': { schema } } });
  const index = {
    routes: {
      '/wc/v3/reviews': { endpoints: [{ methods: ['POST'], args: { product_name: {}, review: {} } }] },
      '/wc/v3/zones/(?P<id>[\\d]+)/locations': {
        endpoints: [{ methods: ['POST', 'PUT', 'PATCH'], args: { id: {}, code: {}, type: {} } }],
      },
      '/wc/v3/things/generate': { endpoints: [{ methods: ['POST'], args: { delete: {}, sku: {} } }] },
      '/wc/v3/settings/batch': { endpoints: [{ methods: ['POST', 'PUT', 'PATCH'], args: { value: {} } }] },
      '/wc/v3/items': { endpoints: [{ methods: ['PUT', 'PATCH'], args: {} }] },
    },
  };
  const spec = {
    paths: {
      '/reviews': {
        post: {
          requestBody: json({
            properties: { product_name: { type: 'string', readOnly: true }, review: { type: 'string' } },
          }),
        },
      },
      '/zones/{id}/locations': {
        parameters: [{ name: 'id', in: 'path' }],
        put: {
          requestBody: json({ type: 'array', items: { properties: { code: {}, type: {} } } }),
        },
      },
      '/things/generate': {
        post: {
          requestBody: json({ allOf: [{ properties: { sku: {} } }, { properties: { delete: {} } }] }),
        },
      },
      '/settings/batch': {
        post: {
          requestBody: json({
            properties: { update: { type: 'array', items: { properties: { id: {}, value: {} } } } },
          }),
        },
      },
      '/items': { put: {} },
    },
  };

  it('reads the items of an array body, a `delete` field as a field, and PUT with PATCH as one', () => {
    const report = computeCoverage(spec, index);
    expect(report.operations).toEqual({ covered: 5, total: 5 });
    // A property the spec marks readOnly is not one a client may send.
    expect(report.missingParams).toEqual([{ route: '/reviews', method: 'POST', params: ['product_name'] }]);
  });

  it('leaves out the id an update item of a batch carries, from what the spec has and the store lacks', () => {
    const batch = compareIndex(spec, index).routes.find((r) => r.path === '/settings/batch');
    expect(batch?.operations[0]?.params).toEqual({ storeOnly: [], specOnly: [] });
  });
});

warnSharedMissing('coverage.test (real run)');

describe.skipIf(!hasShared || !existsSync(bundlePath))('coverage script on the real bundle', () => {
  const run = (...args: string[]) =>
    execFileSync(process.execPath, [path.join(specDir, 'scripts/coverage.mjs'), ...args], {
      encoding: 'utf8',
    });

  it('prints a JSON report in which the always-present resources are covered', () => {
    const report = JSON.parse(run('--json'));
    expect(report.operations.covered).toBeLessThanOrEqual(report.operations.total);
    const missing = report.missing.map((m: { route: string; method: string }) => `${m.method} ${m.route}`);
    for (const op of [
      'GET /reports/sales',
      'GET /webhooks',
      'DELETE /webhooks/{id}',
      'PUT (POST, PATCH) /webhooks/batch',
    ]) {
      expect(missing).not.toContain(op);
    }
    expect(report.ignored.some((i: { route: string }) => i.route.startsWith('/marketplace/'))).toBe(true);
  });

  it('serves every route x method pair the store registers (documented, or as a declared alias)', () => {
    const report = JSON.parse(run('--json'));
    expect(report.missingPairs).toEqual([]);
    expect(report.pairs.covered).toBe(report.pairs.total);
    // The index of WooCommerce 11.0.1 lists 226 pairs on its public routes (the namespace index aside).
    expect(report.pairs.total).toBe(226);
    expect(report.pairs.aliases).toBeGreaterThan(0);
  });

  it('prints a readable report', () => {
    const text = run();
    expect(text).toMatch(/^Routes: +\d+\/\d+ fully covered/m);
    expect(text).toMatch(/^Operations: +\d+\/\d+ covered/m);
  });

  it('says clearly when ../shared is missing, and still exits 0', () => {
    const res = spawnSync(process.execPath, [path.join(specDir, 'scripts/coverage.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, WOOAPI_SHARED: path.join(specDir, 'no-such-shared-folder') },
    });
    expect(res.status).toBe(0);
    expect(res.stderr).toMatch(/coverage skipped: \.\.\/shared not found/);
    expect(res.stdout).toBe('');
  });
});
