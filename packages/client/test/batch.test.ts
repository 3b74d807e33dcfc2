import { afterEach, describe, expect, it } from 'vitest';
import { batch, isBatchItemError, WooApiError, WooBatchError, WooConfigError } from '../src/index.js';
import { basicClient } from './helpers/client.js';
import { caught, record } from './helpers/errors.js';
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
  return { woo: basicClient(server.url, { retry: false }), srv: server };
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

// Issue 10 item 3: answers that do not match what was sent, and outcomes the client cannot know.
describe('batch alignment', () => {
  const states = (e: WooBatchError) => {
    const n: Record<string, number> = {};
    for (const it of e.items) n[it.state] = (n[it.state] ?? 0) + 1;
    return n;
  };

  it('fewer results than items sent is a WooBatchError: nothing shifts onto the wrong item', async () => {
    const { woo } = await setup((req, res) => {
      const body = JSON.parse(req.body) as Body;
      // The store drops the second create's result.
      json(res, 200, {
        create: body.create!.filter((_, i) => i !== 1).map((p, i) => ({ id: 100 + i, name: p.name })),
      });
    });
    const err = (await caught(
      batch(woo, '/products/batch', { create: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }),
    )) as WooBatchError;
    expect(err).toBeInstanceOf(WooBatchError);
    expect(err.code).toBe('wooapi_batch_mismatch');
    expect(err.message).toMatch(/create: sent 3, got 2 result\(s\)/);
    expect(err.items.map((i) => i.state)).toEqual(['unknown', 'unknown', 'unknown']);
    expect((err.partial as { create: unknown[] }).create).toEqual([]);
  });

  it('a 200 with the wrong shape ([]) is a WooBatchError, never undefined slots', async () => {
    const { woo } = await setup((_req, res) => json(res, 200, []));
    const err = (await caught(
      batch(woo, '/products/batch', { create: [{ name: 'a' }], delete: [7] }),
    )) as WooBatchError;
    expect(err).toBeInstanceOf(WooBatchError);
    expect(err.message).toMatch(/the answer is an array/);
    expect(states(err)).toEqual({ unknown: 2 });
  });

  it('updates and deletes are matched by id: found ones are exact, a missing one is unknown', async () => {
    const { woo } = await setup((_req, res) =>
      json(res, 200, {
        // Reordered, one update missing, one delete failed.
        update: [
          { id: 3, name: 'c' },
          { id: 1, name: 'a' },
        ],
        delete: [
          { id: 9, name: 'gone' },
          {
            id: 8,
            error: { code: 'woocommerce_rest_invalid_id', message: 'Invalid ID.', data: { status: 404 } },
          },
        ],
      }),
    );
    const err = (await caught(
      batch(woo, '/products/batch', {
        update: [
          { id: 1, name: 'a' },
          { id: 2, name: 'b' },
          { id: 3, name: 'c' },
        ],
        delete: [8, 9],
      }),
    )) as WooBatchError;
    for (const it of err.items) if (it.error) record(it.error);
    expect(err.items.map((i) => [i.operation, i.index, i.state])).toEqual([
      ['update', 0, 'applied'],
      ['update', 1, 'unknown'],
      ['update', 2, 'applied'],
      ['delete', 0, 'failed'],
      ['delete', 1, 'applied'],
    ]);
    expect(err.items[0]!.result).toEqual({ id: 1, name: 'a' });
    expect(err.items[3]!.error?.code).toBe('woocommerce_rest_invalid_id');
  });

  it('a reset after the third request was sent: 200 applied, 100 unknown, the rest not sent', async () => {
    const { woo, srv } = await setup((req, res, n) =>
      n === 3 ? void req.socket.destroy() : batchStore(req, res, n),
    );
    const err = (await caught(
      batch(woo, '/products/batch', { delete: Array.from({ length: 450 }, (_, i) => i + 1) }),
    )) as WooBatchError;
    expect(err).toBeInstanceOf(WooBatchError);
    expect(err.code).toBe('wooapi_network_error');
    expect(states(err)).toEqual({ applied: 200, unknown: 100, not_sent: 150 });
    expect(err.message).toMatch(
      /200 item\(s\) applied, 0 failed, 100 unknown .*check before sending them again.*150 not sent/,
    );
    expect(err.data).toMatchObject({
      completedRequests: 2,
      requests: 5,
      applied: 200,
      unknown: 100,
      notSent: 150,
    });
    expect(srv.requests).toHaveLength(3);
  });

  it('an unknown outcome on the first request is a WooBatchError too (it may have been applied)', async () => {
    const { woo } = await setup((_req, res) => wooError(res, 500, 'internal_server_error', 'fatal'));
    const err = (await caught(batch(woo, '/products/batch', { create: [{ name: 'a' }] }))) as WooBatchError;
    expect(err).toBeInstanceOf(WooBatchError);
    expect(states(err)).toEqual({ unknown: 1 });
  });

  it('a 4xx refusal of a later request marks its items failed', async () => {
    const { woo } = await setup((req, res, n) =>
      n === 2 ? wooError(res, 400, 'rest_invalid_param', 'Invalid parameter(s)') : batchStore(req, res, n),
    );
    const err = (await caught(
      batch(woo, '/products/batch', { delete: Array.from({ length: 250 }, (_, i) => i + 1) }),
    )) as WooBatchError;
    expect(states(err)).toEqual({ applied: 100, failed: 100, not_sent: 50 });
  });
});
