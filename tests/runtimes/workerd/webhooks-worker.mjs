// A Cloudflare Worker as the webhooks README shows it: `@wooapi/webhooks`' Fetch handler answers deliveries. Bundled
// by esbuild with workerd's export conditions (scripts/workerd.mjs), served by a real workerd on 127.0.0.1.
// `env.SECRETS` (a JSON binding) holds the recorded webhooks' secrets: `/hook/<i>` verifies with secret i, as a
// store's webhook would be set up with its own.
import { createWebhookHandler } from '@wooapi/webhooks';

const handlers = new Map();

export default {
  fetch(request, env, ctx) {
    const i = Number(new URL(request.url).pathname.split('/')[2]);
    let handler = handlers.get(i);
    if (!handler) {
      handler = createWebhookHandler({
        secret: env.SECRETS[i] ?? 'none',
        // Answer fast: slow work goes to the runtime (the README's pattern); here nothing to do.
        on: { 'order.created': (event) => ctx.waitUntil(Promise.resolve(event.payload.id)) },
        fallback: () => {},
      });
      handlers.set(i, handler);
    }
    return handler(request);
  },
};
