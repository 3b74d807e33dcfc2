import type { paths } from '@wooapi/types';
import { contextOf, type PathsWith, type SuccessData, type WooClient } from './client.js';
import { configError, type ErrorContext, WooCommerceError } from './errors.js';
import { errorFromResponse, init } from './fail.js';
import type { PerRequestOptions } from './retry.js';
import { coldDeps } from './transport.js';
import type { RequestBodyOf } from './types.js';

/** WooCommerce refuses (413) a batch of more than 100 objects, create, update and delete together. */
export const MAX_BATCH = 100;

/** Paths ending in `/batch` that accept POST. */
export type BatchPath<Paths extends {} = paths> = Extract<PathsWith<Paths, 'post'>, `${string}/batch`>;

export type BatchInput<Paths extends {}, P extends keyof Paths> = Paths[P] extends { post: infer Op }
  ? NonNullable<RequestBodyOf<Op>>
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

/**
 * Where one input item stands after a batch that did not complete:
 * - `applied`: the store reports it done (`result` is what it answered);
 * - `failed`: the store reports its error for it (`error`), nothing was done;
 * - `unknown`: the answer does not say (a lost or mismatched answer, a 5xx): check the store before sending it again;
 * - `not_sent`: never sent (a request before it failed).
 */
export interface BatchItemState {
  operation: BatchOperation;
  /** Position of the item in the input array of its operation. */
  index: number;
  state: 'applied' | 'failed' | 'unknown' | 'not_sent';
  result?: unknown;
  error?: WooCommerceError;
}

/**
 * Thrown when a batch request fails as a whole, or when the store's answer does not match what was sent. `items`
 * holds the exact state of every input item; `partial` the merged results of the requests that completed.
 */
export class WooBatchError extends WooCommerceError {
  override name = 'WooBatchError';
  declare readonly partial: unknown;
  declare readonly items: BatchItemState[];
  constructor(
    cause: WooCommerceError,
    partial: unknown,
    done: number,
    total: number,
    items: BatchItemState[] = [],
    what = 'failed',
  ) {
    const n = { applied: 0, failed: 0, unknown: 0, not_sent: 0 };
    for (const it of items) n[it.state]++;
    const counts = items.length
      ? `${n.applied} item(s) applied, ${n.failed} failed, ${n.unknown} unknown${n.unknown ? ' (the store may or may not have applied them: check before sending them again)' : ''}, ${n.not_sent} not sent`
      : `${done} earlier request(s) were applied`;
    super({
      code: cause.code,
      message: `batch request ${done + 1} of ${total} ${what}: ${counts}: ${cause.message}`,
      status: cause.status,
      data: {
        ...cause.data,
        completedRequests: done,
        requests: total,
        applied: n.applied,
        failed: n.failed,
        unknown: n.unknown,
        notSent: n.not_sent,
      },
      ...(cause.method ? { method: cause.method } : {}),
      ...(cause.path ? { path: cause.path } : {}),
      cause,
    });
    Object.defineProperty(this, 'partial', { value: partial, enumerable: false });
    Object.defineProperty(this, 'items', { value: items, enumerable: false });
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
  at: ErrorContext,
): BatchItemFailure | undefined {
  if (!isBatchItemError(slot)) return undefined;
  const s = slot as { id?: unknown; error?: unknown };
  const env = s.error as { data?: { status?: unknown } } | undefined;
  const status = typeof env?.data?.status === 'number' ? env.data.status : 400;
  return {
    operation: op,
    index,
    id: typeof s.id === 'number' ? s.id : 0,
    error: errorFromResponse(status, s.error, 'application/json', {
      ...at,
      path: `${at.path} ${op}[${index}]`,
    }),
  };
}

/** The id an update or delete names (`{ id }` or a bare id). */
const sentId = (it: Item): unknown =>
  it.value && typeof it.value === 'object' ? (it.value as { id?: unknown }).id : it.value;
const sameId = (a: unknown, b: unknown) => a !== undefined && a !== null && String(a) === String(b);

/**
 * Match the results of one operation against what was sent: by position when counts (and, for updates and deletes,
 * ids) agree; otherwise updates and deletes by id, and the rest is unknown. Never a slot without a result.
 */
function align(
  op: BatchOperation,
  sent: Item[],
  got: unknown,
): { slots: unknown[]; ok: boolean; why?: string } {
  const list = Array.isArray(got) ? got : undefined;
  const isObj = (x: unknown) => !!x && typeof x === 'object';
  if (list && list.length === sent.length && list.every(isObj)) {
    if (
      op === 'create' ||
      sent.every((it, k) => sameId((list[k] as { id?: unknown }).id, sentId(it)) || isBatchItemError(list[k]))
    )
      return { slots: list, ok: true };
  }
  const why = !list
    ? `${op}: sent ${sent.length}, got ${got === undefined ? 'no' : `a non-array`} ${op} member`
    : list.length !== sent.length
      ? `${op}: sent ${sent.length}, got ${list.length} result(s)`
      : `${op}: results do not name the ids sent`;
  if (op === 'create' || !list) return { slots: sent.map(() => undefined), ok: false, why };
  const byId = new Map<string, unknown>();
  for (const r of list)
    if (isObj(r) && (r as { id?: unknown }).id != null) byId.set(String((r as { id: unknown }).id), r);
  return { slots: sent.map((it) => byId.get(String(sentId(it)))), ok: false, why };
}

/**
 * Create, update and delete any number of objects through a `/batch` path: split into requests of at most 100
 * objects in all (creates, then updates, then deletes, as WooCommerce runs them), sent one after another, results
 * merged back in input order, and the per-item errors WooCommerce reports inside a 200 collected in `errors`. An
 * answer that does not match what was sent, or a request that fails as a whole, is a `WooBatchError` whose `items`
 * give each input item's exact state.
 */
export async function batch<Paths extends {}, P extends BatchPath<Paths>>(
  client: WooClient<Paths>,
  path: P,
  input: BatchInput<Paths, P>,
  options: BatchOptions = {},
): Promise<BatchResult<Paths, P>> {
  // Batch answers are error-shaped by design: the error builders are imported here, handed what they use.
  init(coldDeps);
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
  const ctx = contextOf(client);
  const at: ErrorContext = {
    method: 'POST',
    path: path as string,
    ...(ctx ? { url: ctx.baseUrl + (path as string), secrets: ctx.secrets } : {}),
  };
  const result = { create: [], update: [], delete: [], errors: [], requests: 0 } as unknown as BatchResult<
    Paths,
    P
  >;
  const slots = result as unknown as Record<BatchOperation, unknown[]>;
  const states: BatchItemState[] = [];
  const stateOf = new Map<Item, BatchItemState>();
  for (const it of items) {
    const st: BatchItemState = { operation: it.op, index: it.index, state: 'not_sent' };
    stateOf.set(it, st);
    states.push(st);
  }
  const total = Math.ceil(items.length / chunkSize);
  for (let c = 0; c < total; c++) {
    const chunk = items.slice(c * chunkSize, (c + 1) * chunkSize);
    const req: Partial<Record<BatchOperation, unknown[]>> = {};
    for (const it of chunk) {
      const list = req[it.op] ?? [];
      list.push(it.value);
      req[it.op] = list;
    }
    let data: unknown;
    let status = 200;
    try {
      const post = client.POST as unknown as (
        p: string,
        i: unknown,
      ) => Promise<{ data: unknown; response: Response }>;
      const init: Record<string, unknown> = { body: req };
      if (options.signal) init.signal = options.signal;
      if (options.retry !== undefined) init.retry = options.retry;
      if (options.timeout !== undefined) init.timeout = options.timeout;
      const answer = await post(path as string, init);
      data = answer.data;
      status = answer.response.status;
    } catch (e) {
      if (!(e instanceof WooCommerceError) || e.code === 'wooapi_invalid_request') throw e;
      // A 4xx is the store refusing the request: nothing of it was applied. Anything else may have been.
      const refused = e.status >= 400 && e.status < 500;
      if (c === 0 && refused) throw e;
      for (const it of chunk) {
        const st = stateOf.get(it)!;
        st.state = refused ? 'failed' : 'unknown';
        if (refused) st.error = e;
      }
      throw new WooBatchError(e, result, c, total, states);
    }
    result.requests++;
    const answer = (data && typeof data === 'object' && !Array.isArray(data) ? data : {}) as Record<
      string,
      unknown
    >;
    const problems: string[] = [];
    if (!data || typeof data !== 'object' || Array.isArray(data))
      problems.push(
        `the answer is ${Array.isArray(data) ? 'an array' : typeof data}, not { create, update, delete }`,
      );
    const placed: [Item, unknown][] = [];
    for (const op of ['create', 'update', 'delete'] as const) {
      const sent = chunk.filter((it) => it.op === op);
      if (!sent.length) continue;
      const { slots: got, ok, why } = align(op, sent, answer[op]);
      if (!ok && why) problems.push(why);
      for (let k = 0; k < sent.length; k++) placed.push([sent[k]!, got[k]]);
    }
    for (const [it, slot] of placed) {
      const st = stateOf.get(it)!;
      const failure = failureOf(it.op, it.index, slot, at);
      if (failure) {
        st.state = 'failed';
        st.error = failure.error;
        st.result = slot;
      } else if (slot && typeof slot === 'object') {
        st.state = 'applied';
        st.result = slot;
      } else st.state = 'unknown';
    }
    if (problems.length) {
      const cause = new WooCommerceError({
        code: 'wooapi_batch_mismatch',
        message: `the store's answer does not match what was sent (${[...new Set(problems)].join('; ')})`,
        status,
        data: { status },
        ...at,
      });
      throw new WooBatchError(cause, result, c, total, states, 'did not match');
    }
    for (const [it, slot] of placed) {
      slots[it.op].push(slot);
      const st = stateOf.get(it)!;
      if (st.state === 'failed')
        result.errors.push({ operation: it.op, index: it.index, id: failureIdOf(slot), error: st.error! });
    }
  }
  return result;
}

const failureIdOf = (slot: unknown) => {
  const id = (slot as { id?: unknown } | null)?.id;
  return typeof id === 'number' ? id : 0;
};
