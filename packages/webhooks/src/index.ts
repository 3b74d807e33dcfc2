/**
 * @wooapi/webhooks: verify and parse WooCommerce webhook deliveries, typed from the spec.
 * This entry runs on WebCrypto (browsers, Workers, edge); under Node, Bun and Deno the package's `node` export
 * condition loads `index.node.js` instead, the same API on node:crypto.
 */
import { bind } from './bind.js';
import { webHmac } from './hmac/web.js';

export * from './exports.js';

const api = bind(webHmac);
/** True when `signature` is base64(HMAC-SHA256(rawBody, secret)) for the secret or any of the secrets. */
export const verifyWebhookSignature = api.verifyWebhookSignature;
/** The `X-WC-Webhook-Signature` WooCommerce would send for this body: for tests and local tooling. */
export const signWebhookBody = api.signWebhookBody;
/** Verifies a delivery, then returns the typed event (or the ping); throws a `WebhookError` saying what failed. */
export const parseWebhook = api.parseWebhook;
/** A Fetch API handler `(Request) => Promise<Response>`: Next.js route handlers, Hono, Bun, Deno, Workers. */
export const createWebhookHandler = api.createWebhookHandler;
/** The runtime-free core of the handlers: a request in, `{ status, body }` out. For adapters. */
export const createWebhookProcessor = api.createWebhookProcessor;
