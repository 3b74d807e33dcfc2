import { describe, expect, it } from 'vitest';
import {
  createReplayGuard,
  createWebhookHandler,
  DEFAULT_SEEN_MAX_ENTRIES,
  MemorySeenStore,
  type WebhookRequest,
} from '../src/index.js';
import { deliveryHeaders, ENGINES, PRODUCT_BODY, SECRET } from './helpers.js';

const delivery = (topic = 'product.created', extra: Record<string, string> = {}): WebhookRequest => ({
  headers: deliveryHeaders(PRODUCT_BODY, topic, SECRET, extra),
  rawBody: PRODUCT_BODY,
});
const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (err: { code?: string }) => err.code ?? String(err),
  );

describe('MemorySeenStore', () => {
  it('remembers a key until its TTL passes', () => {
    let now = 1_000;
    const store = new MemorySeenStore({ now: () => now });
    expect(store.add('a', 100)).toBe(true);
    expect(store.add('a', 100)).toBe(false);
    now += 99;
    expect(store.add('a', 100)).toBe(false);
    now += 1;
    expect(store.add('a', 100)).toBe(true);
  });

  it('stays within maxEntries, forgetting the oldest first', () => {
    const store = new MemorySeenStore({ maxEntries: 3, now: () => 0 });
    for (const k of ['a', 'b', 'c', 'd', 'e']) expect(store.add(k, 1_000)).toBe(true);
    expect(store.size).toBe(3);
    expect(store.add('e', 1_000)).toBe(false);
    expect(store.add('c', 1_000)).toBe(false);
    expect(store.add('a', 1_000)).toBe(true); // forgotten, so new again
  });

  it('drops expired keys before it forgets live ones', () => {
    let now = 0;
    const store = new MemorySeenStore({ maxEntries: 2, now: () => now });
    store.add('old', 10);
    now = 5;
    store.add('live', 1_000);
    now = 20; // 'old' has expired
    store.add('new', 1_000);
    expect(store.size).toBe(2);
    expect(store.add('live', 1_000)).toBe(false);
  });

  it('is bounded by default, and refuses a bad bound', () => {
    const store = new MemorySeenStore();
    for (let i = 0; i < DEFAULT_SEEN_MAX_ENTRIES + 500; i++) store.add(`k${i}`, 60_000);
    expect(store.size).toBe(DEFAULT_SEEN_MAX_ENTRIES);
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => new MemorySeenStore({ maxEntries: bad })).toThrow(/maxEntries/);
    }
  });
});

describe('createReplayGuard', () => {
  it('refuses options it does not understand', () => {
    expect(() => createReplayGuard({ ttlMs: 0 })).toThrow(/ttlMs/);
    expect(() => createReplayGuard({ key: 'topic' as never })).toThrow(/key must be one of/);
    expect(() => createReplayGuard({ store: {} as never })).toThrow(/add\(key, ttlMs\)/);
  });
});

for (const [engine, api] of ENGINES) {
  describe(`the replay guard (${engine})`, () => {
    it('is off by default: the same delivery twice is accepted twice', async () => {
      expect(await outcome(api.parseWebhook(delivery(), { secret: SECRET }))).toBe('accepted');
      expect(await outcome(api.parseWebhook(delivery(), { secret: SECRET }))).toBe('accepted');
    });

    it("'topic-and-signature' (default): refuses the body again under its topic, takes it under another", async () => {
      const replayGuard = createReplayGuard();
      const parse = (r: WebhookRequest) => outcome(api.parseWebhook(r, { secret: SECRET, replayGuard }));
      expect(await parse(delivery())).toBe('accepted');
      expect(await parse(delivery())).toBe('replayed');
      // A new delivery id does not help: the header is not signed.
      expect(await parse(delivery('product.created', { 'x-wc-webhook-delivery-id': 'f'.repeat(32) }))).toBe(
        'replayed',
      );
      // WooCommerce sends one body under two topics (created, then updated, of an unchanged product).
      expect(await parse(delivery('product.updated'))).toBe('accepted');
    });

    it("'signature': refuses the body again under any topic", async () => {
      const replayGuard = createReplayGuard({ key: 'signature' });
      const parse = (r: WebhookRequest) => outcome(api.parseWebhook(r, { secret: SECRET, replayGuard }));
      expect(await parse(delivery())).toBe('accepted');
      expect(await parse(delivery('product.updated'))).toBe('replayed');
    });

    it("'delivery-and-signature': refuses a verbatim resend only", async () => {
      const replayGuard = createReplayGuard({ key: 'delivery-and-signature' });
      const parse = (r: WebhookRequest) => outcome(api.parseWebhook(r, { secret: SECRET, replayGuard }));
      expect(await parse(delivery())).toBe('accepted');
      expect(await parse(delivery())).toBe('replayed');
      expect(await parse(delivery('product.created', { 'x-wc-webhook-delivery-id': 'f'.repeat(32) }))).toBe(
        'accepted',
      );
    });

    it('remembers only verified deliveries: a forged one does not poison the store', async () => {
      const replayGuard = createReplayGuard();
      const forged = { ...delivery(), headers: deliveryHeaders(PRODUCT_BODY, 'product.created', 'not-it') };
      expect(await outcome(api.parseWebhook(forged, { secret: SECRET, replayGuard }))).toBe(
        'invalid_signature',
      );
      expect(await outcome(api.parseWebhook(delivery(), { secret: SECRET, replayGuard }))).toBe('accepted');
    });

    it('guards topics the spec does not list as well', async () => {
      const replayGuard = createReplayGuard();
      const r = delivery('booking.created');
      expect(await outcome(api.parseWebhook(r, { secret: SECRET, replayGuard }))).toBe('accepted');
      expect(await outcome(api.parseWebhook(r, { secret: SECRET, replayGuard }))).toBe('replayed');
    });

    it('lets exactly one of many concurrent copies through', async () => {
      const replayGuard = createReplayGuard();
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          outcome(api.parseWebhook(delivery(), { secret: SECRET, replayGuard })),
        ),
      );
      expect(results.filter((r) => r === 'accepted')).toHaveLength(1);
      expect(results.filter((r) => r === 'replayed')).toHaveLength(19);
    });

    it('works with an async store (as a Redis SET NX PX would be)', async () => {
      const keys = new Map<string, number>();
      const replayGuard = createReplayGuard({
        ttlMs: 5_000,
        store: {
          add: async (key, ttl) => {
            await Promise.resolve();
            if (keys.has(key)) return false;
            keys.set(key, ttl);
            return true;
          },
        },
      });
      expect(await outcome(api.parseWebhook(delivery(), { secret: SECRET, replayGuard }))).toBe('accepted');
      expect(await outcome(api.parseWebhook(delivery(), { secret: SECRET, replayGuard }))).toBe('replayed');
      expect([...keys.values()]).toEqual([5_000]);
      // The key holds no secret, only what the store sent (topic and signature).
      expect([...keys.keys()][0]).toBe(
        `product.created ${delivery().headers['x-wc-webhook-signature' as never]}`,
      );
    });
  });
}

describe('the replay guard in a handler', () => {
  const post = (h: ReturnType<typeof createWebhookHandler>, topic = 'product.created') =>
    h(
      new Request('http://127.0.0.1/hooks', {
        method: 'POST',
        body: PRODUCT_BODY,
        headers: deliveryHeaders(PRODUCT_BODY, topic),
      }),
    );

  it('answers 409 replayed to the second copy, and runs the handler once', async () => {
    const ran: number[] = [];
    const h = createWebhookHandler({
      secret: SECRET,
      replayGuard: createReplayGuard(),
      on: { 'product.created': (e) => void ran.push(Number(e.payload.id)) },
    });
    expect((await post(h)).status).toBe(200);
    const second = await post(h);
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ ok: false, error: 'replayed' });
    expect(ran).toEqual([794]);
  });

  it('forgets a delivery whose handler failed, so a resend runs', async () => {
    let fail = true;
    const ran: number[] = [];
    const h = createWebhookHandler({
      secret: SECRET,
      replayGuard: createReplayGuard(),
      on: {
        'product.created': (e) => {
          if (fail) throw new Error('database down');
          ran.push(Number(e.payload.id));
        },
      },
    });
    expect((await post(h)).status).toBe(500);
    fail = false;
    expect((await post(h)).status).toBe(200);
    expect((await post(h)).status).toBe(409);
    expect(ran).toEqual([794]);
  });
});
