import type { paths } from '@wooapi/types';
import type { Client, ClientPathsWithMethod, FetchOptions } from 'openapi-fetch';
import type { SuccessData, WooClient } from './client.js';
import { configError, errorFromResponse, WooCommerceError } from './errors.js';
import type { PerRequestOptions } from './retry.js';

/** WooCommerce refuses (413) a batch of more than 100 objects, create, update and delete together. */
export const MAX_BATCH = 100;

/** Paths ending in `/batch` that accept POST. */
export type BatchPath<Paths extends {} = paths> = Extract<
  ClientPathsWithMethod<Client<Paths>, 'post'>,
  `${string}/batch`
>;

export type BatchInput<Paths extends {}, P extends keyof Paths> = Paths[P] extends { post: infer Op }
  ? NonNullable<FetchOptions<Op>['body']>
  : never;

type Result<Paths extends {}, P extends keyof Paths> = SuccessData<Paths, P, 'post', object>;
type Slot<R, K extends string> = R extends { [k in K]?: (infer T)[] } ? T : never;

export type BatchOperation = 'create' | 'update' | 'delete';

export interface BatchItemFailure {
  operation: BatchOperation;
  /** Position of the item in the input array of its operation. */
  index: number;
  /** The ID WooCommerce reports (0 for a failed create). */
  id: number;
  error: WooCommerceError;
}

export interface BatchResult<Paths extends {}, P extends keyof Paths> {
  /** One entry per input item, in input order: the object, or WooCommerce's `{ id, error }` in its place. */
  create: Slot<Result<Paths, P>, 'create'>[];
  update: Slot<Result<Paths, P>, 'update'>[];
  delete: Slot<Result<Paths, P>, 'delete'>[];
  /** The items that failed inside a 200 answer, as typed errors. Empty when every item succeeded. */
  errors: BatchItemFailure[];
  /** Number of HTTP requests made. */
  requests: number;
}

export interface BatchOptions extends PerRequestOptions {
  /** Objects per request, 1 to 100. Default 100. */
  chunkSize?: number;
  signal?: AbortSignal;
}

/** Thrown when a whole batch request fails; `partial` holds what the earlier requests did. */
export class WooBatchError extends WooCommerceError {
  override name = 'WooBatchError';
  declare readonly partial: unknown;
  constructor(cause: WooCommerceError, partial: unknown, done: number, total: number) {
    super({
      code: cause.code,
      message: `batch request ${done + 1} of ${total} failed, ${done} earlier request(s) were applied: ${cause.message}`,
      status: cause.status,
      data: { ...cause.data, completedRequests: done, requests: total },
      ...(cause.method ? { method: cause.method } : {}),
      ...(cause.path ? { path: cause.path } : {}),
      cause,
    });
    Object.defineProperty(this, 'partial', { value: partial, enumerable: false });
  }
}

type Item = { op: BatchOperation; index: number; value: unknown };

/** True for the `{ id, error }` WooCommerce puts in place of a failed item: narrows a result slot. */
export function isBatchItemError<T>(slot: T): slot is Extract<T, { error: unknown }> {
  return !!slot && typeof slot === 'object' && 'error' in slot && !!(slot as { error?: unknown }).error;
}

function failureOf(
  op: BatchOperation,
  index: number,
  slot: unknown,
  path: string,
): BatchItemFailure | undefined {
  if (!isBatchItemError(slot)) return undefined;
  const s = slot as { id?: unknown; error?: unknown };
  const env = s.error as { data?: { status?: unknown } } | undefined;
  const status = typeof env?.data?.status === 'number' ? env.data.status : 400;
  return {
    operation: op,
    index,
    id: typeof s.id === 'number' ? s.id : 0,
    error: errorFromResponse(status, s.error, 'application/json', 'POST', `${path} ${op}[${index}]`),
  };
}

/**
 * Create, update and delete any number of objects through a `/batch` path: split into requests of at most 100
 * objects in all (creates, then updates, then deletes, as WooCommerce runs them), sent one after another, results
 * merged back in input order, and the per-item errors WooCommerce reports inside a 200 collected in `errors`.
 */
export async function batch<Paths extends {}, P extends BatchPath<Paths>>(
  client: WooClient<Paths>,
  path: P,
  input: BatchInput<Paths, P>,
  options: BatchOptions = {},
): Promise<BatchResult<Paths, P>> {
  const body = (input ?? {}) as { create?: unknown[]; update?: unknown[]; delete?: unknown[] };
  const chunkSize = options.chunkSize ?? MAX_BATCH;
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_BATCH) {
    throw configError(
      `chunkSize must be an integer from 1 to ${MAX_BATCH} (WooCommerce answers 413 above ${MAX_BATCH}); got ${String(chunkSize)}`,
      'wooapi_invalid_request',
    );
  }
  const items: Item[] = [];
  for (const op of ['create', 'update', 'delete'] as const) {
    const list = body[op];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      throw configError(`batch ${op} must be an array; got ${typeof list}`, 'wooapi_invalid_request');
    }
    list.forEach((value, index) => {
      if (op === 'update' && !(value && typeof value === 'object' && 'id' in value)) {
        throw configError(
          `batch update[${index}] has no id: each update names the object it changes`,
          'wooapi_invalid_request',
        );
      }
      items.push({ op, index, value });
    });
  }
  const result = { create: [], update: [], delete: [], errors: [], requests: 0 } as unknown as BatchResult<
    Paths,
    P
  >;
  const slots = result as unknown as Record<BatchOperation, unknown[]>;
  const total = Math.ceil(items.length / chunkSize);
  for (let c = 0; c < total; c++) {
    const chunk = items.slice(c * chunkSize, (c + 1) * chunkSize);
    const req: Partial<Record<BatchOperation, unknown[]>> = {};
    for (const it of chunk) {
      const list = req[it.op] ?? [];
      list.push(it.value);
      req[it.op] = list;
    }
    let data: Partial<Record<BatchOperation, unknown[]>>;
    try {
      const post = client.POST as unknown as (p: string, i: unknown) => Promise<{ data: unknown }>;
      const init: Record<string, unknown> = { body: req };
      if (options.signal) init.signal = options.signal;
      if (options.retry !== undefined) init.retry = options.retry;
      if (options.timeout !== undefined) init.timeout = options.timeout;
      data = ((await post(path as string, init)).data ?? {}) as typeof data;
    } catch (e) {
      if (e instanceof WooCommerceError && c > 0 && e.code !== 'wooapi_invalid_request') {
        throw new WooBatchError(e, result, c, total);
      }
      throw e;
    }
    result.requests++;
    for (const op of ['create', 'update', 'delete'] as const) {
      const sent = chunk.filter((it) => it.op === op);
      const got = Array.isArray(data[op]) ? data[op]! : [];
      sent.forEach((it, k) => {
        const slot = got[k];
        slots[op].push(slot);
        const failure = failureOf(op, it.index, slot, path as string);
        if (failure) result.errors.push(failure);
      });
    }
  }
  return result;
}
