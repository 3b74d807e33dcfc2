// Compiled by exports.test.ts against the published entry points (package.json `exports`), as a user's code would.

import {
  createReplayGuard,
  createWebhookHandler,
  isStoreErrorPayload,
  MemorySeenStore,
  type OrderEvent,
  parseWebhook,
  type SeenStore,
  verifyWebhookSignature,
  WebhookError,
  type WebhookEvent,
} from '@wooapi/webhooks';
import { createNodeWebhookHandler } from '@wooapi/webhooks/node';
import express from 'express';

export const POST: (request: Request) => Promise<Response> = createWebhookHandler({
  secret: ['old', 'new'],
  on: {
    'order.created': (event) => event.payload.line_items?.length,
    'product.deleted': (event) => event.payload.id.toFixed(0),
  },
});

// A shared store as a user would write it over Redis: add is atomic, delete optional.
const redisLike: SeenStore = {
  add: async (key: string, ttlMs: number) => key.length > 0 && ttlMs > 0,
};
export const guarded = createWebhookHandler({
  secret: 'x',
  bodyTimeoutMs: 5_000,
  replayGuard: createReplayGuard({ store: redisLike, key: 'signature', ttlMs: 60_000 }),
  on: {
    'customer.created': (event) =>
      isStoreErrorPayload(event.payload) ? event.payload.code : event.payload.email?.toLowerCase(),
  },
});
export const local = createReplayGuard({ store: new MemorySeenStore({ maxEntries: 100 }) });

const app = express();
app.post('/hooks', createNodeWebhookHandler({ secret: 'x', fallback: (event) => event.topic }));

export async function receive(request: Request): Promise<number | undefined> {
  const ok: boolean = await verifyWebhookSignature(
    new Uint8Array(),
    request.headers.get('x-wc-webhook-signature'),
    's',
  );
  try {
    const event = await parseWebhook(
      { headers: request.headers, rawBody: await request.arrayBuffer() },
      { secret: 's' },
    );
    if (ok && event.kind === 'event' && event.resource === 'order') {
      const order: OrderEvent = event;
      return order.payload.id;
    }
    const any: WebhookEvent | undefined = event.kind === 'event' ? event : undefined;
    return any?.webhookId;
  } catch (err) {
    if (err instanceof WebhookError) return err.status;
    throw err;
  }
}
