/**
 * An optional replay guard. WooCommerce signs the body only, with no timestamp and no nonce, so a captured delivery
 * verifies for ever; the guard remembers what it has seen for a while and refuses it the second time.
 */

/** Where the guard remembers deliveries: the in-memory default, or your own (Redis, a database) for several processes. */
export interface SeenStore {
  /**
   * Remembers `key` for `ttlMs` milliseconds. Returns `true` when the key was new (or had expired), `false` when it
   * is still remembered. Must be atomic: of two concurrent calls with one key, exactly one gets `true`
   * (Redis: `SET key 1 NX PX ttlMs`). A store that throws or rejects makes the delivery fail (500), never pass.
   */
  add(key: string, ttlMs: number): boolean | Promise<boolean>;
  /** Forgets `key`. Called when your handler failed, so that a resend of that delivery is processed. Optional. */
  delete?(key: string): unknown;
}

export interface MemorySeenStoreOptions {
  /** At most this many keys; past it the oldest are forgotten first. Default 10,000. */
  maxEntries?: number;
  /** The clock, in milliseconds. Default `Date.now`. */
  now?: () => number;
}

export const DEFAULT_SEEN_MAX_ENTRIES = 10_000;

/** A `SeenStore` in this process's memory, bounded in size: one process only, forgotten on restart. */
export class MemorySeenStore implements SeenStore {
  readonly maxEntries: number;
  readonly #now: () => number;
  // Insertion order is expiry order when every key has the same TTL, so the oldest sit at the front.
  readonly #expires = new Map<string, number>();

  constructor(options: MemorySeenStoreOptions = {}) {
    const max = options.maxEntries ?? DEFAULT_SEEN_MAX_ENTRIES;
    if (!Number.isSafeInteger(max) || max < 1) {
      throw new TypeError(`maxEntries must be a positive integer (got ${String(max)}).`);
    }
    this.maxEntries = max;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#expires.size;
  }

  add(key: string, ttlMs: number): boolean {
    const now = this.#now();
    const until = this.#expires.get(key);
    if (until !== undefined && until > now) return false;
    if (until !== undefined) this.#expires.delete(key);
    for (const [k, t] of this.#expires) {
      if (t > now && this.#expires.size < this.maxEntries) break;
      this.#expires.delete(k);
    }
    this.#expires.set(key, now + ttlMs);
    return true;
  }

  delete(key: string): void {
    this.#expires.delete(key);
  }
}

/**
 * What makes two deliveries "the same":
 * - `'topic-and-signature'` (default): the same body under the same topic. WooCommerce itself sends the same body
 *   twice now and then (a hook firing again with the same argument, a restore of something already gone); the second
 *   one is refused too.
 * - `'signature'`: the same body under any topic; the strictest. WooCommerce often sends one body under two topics
 *   (`order.created` then `order.updated` of an unchanged order), so use it only with one secret per topic.
 * - `'delivery-and-signature'`: the same body with the same `X-WC-Webhook-Delivery-ID`. That header is not signed,
 *   so this stops only verbatim resends (a proxy retrying, a captured request sent again as is).
 */
export type ReplayKey = 'topic-and-signature' | 'signature' | 'delivery-and-signature';

export interface ReplayGuardOptions {
  /** Default a `MemorySeenStore` of 10,000 keys, private to this guard. */
  store?: SeenStore;
  /** How long a delivery is remembered. Default 24 hours. */
  ttlMs?: number;
  /** Default `'topic-and-signature'`. */
  key?: ReplayKey;
}

export interface ReplayGuard {
  readonly store: SeenStore;
  readonly ttlMs: number;
  readonly key: ReplayKey;
}

export const DEFAULT_REPLAY_TTL_MS = 24 * 60 * 60 * 1000;
const KEYS: readonly ReplayKey[] = ['topic-and-signature', 'signature', 'delivery-and-signature'];

/** Pass the result as `replayGuard` to `parseWebhook` or a handler; share one guard between the handlers of a process. */
export function createReplayGuard(options: ReplayGuardOptions = {}): ReplayGuard {
  const ttlMs = options.ttlMs ?? DEFAULT_REPLAY_TTL_MS;
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new TypeError(
      `replay guard ttlMs must be a positive number of milliseconds (got ${String(ttlMs)}).`,
    );
  }
  const key = options.key ?? 'topic-and-signature';
  if (!KEYS.includes(key)) {
    throw new TypeError(`replay guard key must be one of ${KEYS.join(', ')} (got ${String(key)}).`);
  }
  const store = options.store ?? new MemorySeenStore();
  checkStore(store);
  return Object.freeze({ store, ttlMs, key });
}

function checkStore(store: SeenStore): void {
  if (!store || typeof store.add !== 'function') {
    throw new TypeError('replay guard store must have an add(key, ttlMs) method (see SeenStore).');
  }
}

export function checkReplayGuard(guard: unknown): asserts guard is ReplayGuard {
  const g = guard as ReplayGuard;
  if (!g || typeof g !== 'object' || !KEYS.includes(g.key) || !(g.ttlMs > 0)) {
    throw new TypeError('replayGuard must come from createReplayGuard().');
  }
  checkStore(g.store);
}

export function replayKey(
  guard: ReplayGuard,
  d: { topic: string; deliveryId: string; signature: string },
): string {
  if (guard.key === 'signature') return d.signature;
  if (guard.key === 'delivery-and-signature') return `${d.deliveryId} ${d.signature}`;
  return `${d.topic} ${d.signature}`;
}

// Which guard and key an event was remembered under, so a failed handler can release it.
const remembered = new WeakMap<object, { guard: ReplayGuard; key: string }>();

export function remember(event: object, guard: ReplayGuard, key: string): void {
  remembered.set(event, { guard, key });
}

/** The handler failed: forget the delivery so a resend is processed. Never throws. */
export async function release(event: object): Promise<void> {
  const r = remembered.get(event);
  if (!r) return;
  remembered.delete(event);
  try {
    await r.guard.store.delete?.(r.key);
  } catch {
    // Not forgetting only means a resend is refused; the handler's error is what gets reported.
  }
}
