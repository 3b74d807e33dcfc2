import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type MockServer, startMock } from '../dist/index.js';
import { basicAuth, concretePath, operations, responseExample } from './helpers.js';

// Real Prism on a machine busy with parallel turbo tasks outlasts vitest's 5 s default.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 90_000 });

const require = createRequire(import.meta.url);
const legacy = JSON.parse(readFileSync(require.resolve('@wooapi/spec/legacy-v2.json'), 'utf8'));
const ops = operations(legacy);

describe('startMock({ api: "legacy-v2" }): the legacy API on real Prism', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMock({ api: 'legacy-v2' });
  }, 90_000);
  afterAll(() => mock?.stop());

  it('serves the legacy document under /wc-api/v2, not wc/v3', async () => {
    expect(mock.apiUrl).toBe(`${mock.url}/wc-api/v2`);
    const v3 = await fetch(`${mock.url}/wp-json/wc/v3/products`, { headers: basicAuth });
    await v3.arrayBuffer();
    expect(v3.status).toBe(404);
  });

  it('answers the index without credentials, as the plugin does', async () => {
    const res = await fetch(`${mock.apiUrl}/`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual(
      responseExample(legacy, ops.find((o) => o.op.operationId === 'getIndex')!.op, '200'),
    );
    expect(body.store.wc_version).toBe('11.0.1');
  });

  it('answers GET /products with the envelope example and the X-WC-* paging headers', async () => {
    const res = await fetch(`${mock.apiUrl}/products?filter[limit]=2&page=1`, { headers: basicAuth });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual(
      responseExample(legacy, ops.find((o) => o.op.operationId === 'listProducts')!.op, '200'),
    );
    expect(Array.isArray(body.products)).toBe(true);
    expect(Number(res.headers.get('x-wc-total'))).toBeGreaterThanOrEqual(0);
    expect(Number(res.headers.get('x-wc-totalpages'))).toBeGreaterThanOrEqual(0);
  });

  it('answers every GET operation of the 41 routes with its declared 200', async () => {
    const gets = ops.filter((o) => o.method === 'get');
    expect(gets).toHaveLength(37);
    const wrong: string[] = [];
    for (const { path, op } of gets) {
      const res = await fetch(`${mock.apiUrl}${concretePath(path)}`, { headers: basicAuth });
      await res.arrayBuffer();
      if (res.status !== 200) wrong.push(`${op.operationId} ${path}: ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('validates request bodies: a create in its envelope passes, a wrong type is refused', async () => {
    const ok = await fetch(`${mock.apiUrl}/coupons`, {
      method: 'POST',
      headers: { ...basicAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ coupon: { code: 'save10', type: 'percent', amount: '10' } }),
    });
    expect(ok.status).toBe(201);
    expect((await ok.json()).coupon).toBeTypeOf('object');
    const bad = await fetch(`${mock.apiUrl}/coupons`, {
      method: 'POST',
      headers: { ...basicAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ coupon: { code: 'save10', type: 'percent_product' } }),
    });
    await bad.arrayBuffer();
    // Prism answers invalid input with the 400 the operation declares, as the plugin does (no 422 in v2).
    expect(bad.status).toBe(400);
  });

  it('refuses an unknown api with a clear error', async () => {
    await expect(startMock({ api: 'v1' as never })).rejects.toThrow(
      /api must be one of wc-v3, legacy-v2; got "v1"/,
    );
  });
});
