import { afterEach, describe, expect, it } from 'vitest';
import {
  batch,
  createWooClient,
  isBatchItemError,
  WooApiError,
  WooBatchError,
  WooConfigError,
} from '../src/index.js';
import { caught, KEY, record, SECRET } from './helpers/errors.js';
import { type Handler, json, startServer, type TestServer, wooError } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type Body = { create?: { name: string }[]; update?: { id: number; name?: string }[]; delete?: number[] };

/** A batch endpoint like WooCommerce's: 413 above 100 objects, per-item errors inside a 200. */
const batchStore: Handler = (req, res) => {
  const body = JSON.parse(req.body) as Body;
  const n = (body.create?.length ?? 0) + (body.update?.length ?? 0) + (body.delete?.length ?? 0);
  if (n > 100)
    return wooError(
      res,
      413,
      'woocommerce_rest_request_entity_too_large',
      `Unable to accept more than 100 items for this request.`,
    );
  const out: Record<string, unknown[]> = {};
  if (body.create) {
    out.create = body.create.map((p, i) =>
      p.name === 'bad'
        ? {
            id: 0,
            error: {
              code: 'woocommerce_rest_product_invalid_sku',
              message: 'Invalid or duplicated SKU.',
              data: { status: 400 },
            },
          }
        : { id: 1000 + i, name: p.name },
    );
  }
  if (body.update) {
    out.update = body.update.map((p) =>
      p.id === 404
        ? {
            id: 404,
            error: {
              code: 'woocommerce_rest_product_invalid_id',
              message: 'Invalid ID.',
              data: { status: 404 },
            },
          }
        : { id: p.id, name: p.name ?? 'same' },
    );
  }
  if (body.delete) out.delete = body.delete.map((id) => ({ id, name: `deleted ${id}` }));
  json(res, 200, out);
};

async function setup(handler: Handler = batchStore) {
  server = await startServer(handler);
  const woo = createWooClient({
    url: server.url,
    consumerKey: KEY,
    consumerSecret: SECRET,
    auth: 'basic',
    allowInsecureLoopback: true,
    retry: false,
  });
  return { woo, srv: server };
}

describe('batch', () => {
  it('splits into requests of at most 100 objects in all and merges results in input order', async () => {
    const { woo, srv } = await setup();
    const create = Array.from({ length: 150 }, (_, i) => ({ name: `New ${i}` }));
    const update = Array.from({ length: 60 }, (_, i) => ({ id: i + 1, name: `Upd ${i}` }));
    const del = Array.from({ length: 30 }, (_, i) => 500 + i);
    const result = await batch(woo, '/products/batch', { create, update, delete: del });
    expect(result.requests).toBe(3);
    const sizes = srv.requests.map((r) => {
      const b = JSON.parse(r.body) as Body;
      return [b.create?.length ?? 0, b.update?.length ?? 0, b.delete?.length ?? 0];
    });
    expect(sizes).toEqual([
      [100, 0, 0],
      [50, 50, 0],
      [0, 10, 30],
    ]);
    expect(result.create.map((p) => (isBatchItemError(p) ? p.error.code : p.name))).toEqual(
      create.map((p) => p.name),
    );
    expect(result.update.map((p) => p.id)).toEqual(update.map((p) => p.id));
    expect(result.delete.map((p) => p.id)).toEqual(del);
    expect(result.errors).toEqual([]);
  });

  it('returns the per-item errors WooCommerce reports inside a 200, with their input position', async () => {
    const { woo } = await setup();
    const create = [{ name: 'ok' }, { name: 'bad' }, { name: 'ok too' }];
    const result = await batch(woo, '/products/batch', {
      create,
      update: [{ id: 404, name: 'x' }, { id: 5 }],
    });
    for (const f of result.errors) record(f.error);
    expect(result.errors.map((e) => [e.operation, e.index, e.id, e.error.code, e.error.status])).toEqual([
      ['create', 1, 0, 'woocommerce_rest_product_invalid_sku', 400],
      ['update', 0, 404, 'woocommerce_rest_product_invalid_id', 404],
    ]);
    expect(result.errors[0]!.error).toBeInstanceOf(WooApiError);
    // The failed item keeps its slot, so positions line up with the input.
    expect(result.create).toHaveLength(3);
    expect(isBatchItemError(result.create[1])).toBe(true);
    expect(isBatchItemError(result.create[0])).toBe(false);
    expect(result.create[2]).toMatchObject({ name: 'ok too' });
  });

  it('honours a smaller chunk size and refuses one above 100', async () => {
    const { woo, srv } = await setup();
    await batch(woo, '/products/batch', { delete: [1, 2, 3, 4, 5] }, { chunkSize: 2 });
    expect(srv.requests).toHaveLength(3);
    const err = await caught(batch(woo, '/products/batch', { delete: [1] }, { chunkSize: 101 }));
    expect(err).toBeInstanceOf(WooConfigError);
    expect((err as Error).message).toMatch(/413 above 100/);
  });

  it('refuses an update without id before sending anything', async () => {
    const { woo, srv } = await setup();
    const err = await caught(batch(woo, '/products/batch', { update: [{ name: 'no id' } as never] }));
    expect((err as Error).message).toMatch(/update\[0\] has no id/);
    expect(srv.requests).toHaveLength(0);
  });

  it('reports a failed later request with what the earlier ones did', async () => {
    const { woo } = await setup((req, res, n) =>
      n === 2 ? wooError(res, 500, 'internal_error', 'boom') : batchStore(req, res, n),
    );
    const err = await caught(
      batch(woo, '/products/batch', { delete: Array.from({ length: 150 }, (_, i) => i + 1) }),
    );
    expect(err).toBeInstanceOf(WooBatchError);
    const e = err as WooBatchError;
    expect(e.code).toBe('internal_error');
    expect(e.data).toMatchObject({ completedRequests: 1, requests: 2 });
    expect((e.partial as { delete: unknown[] }).delete).toHaveLength(100);
  });
});
