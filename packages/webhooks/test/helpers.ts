import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { FetchWebhookHandler } from '../src/index.js';
import * as webEntry from '../src/index.js';
import * as nodeEntry from '../src/index.node.js';

/** Both entry points: every behaviour must hold on WebCrypto and on node:crypto alike. */
export const ENGINES = [
  ['webcrypto', webEntry],
  ['node:crypto', nodeEntry],
] as const;

export const SECRET = 'wc-test-secret-&-<key>';

/** Signs with node:crypto directly (the key already decoded), not through our code. */
export function hmac(body: string | Uint8Array, key: string): string {
  return createHmac('sha256', key).update(body).digest('base64');
}

export function deliveryHeaders(
  body: string | Uint8Array,
  topic = 'product.created',
  key = SECRET,
  extra: Record<string, string> = {},
): Record<string, string> {
  const [resource, event] = [topic.slice(0, topic.indexOf('.')), topic.slice(topic.indexOf('.') + 1)];
  return {
    'content-type': 'application/json',
    'user-agent': 'WooCommerce/11.0.1 Hookshot (WordPress/7.1)',
    'x-wc-webhook-source': 'https://shop.example/',
    'x-wc-webhook-topic': topic,
    'x-wc-webhook-resource': resource,
    'x-wc-webhook-event': event,
    'x-wc-webhook-signature': hmac(body, key),
    'x-wc-webhook-id': '12',
    'x-wc-webhook-delivery-id': '8f3d1c5b2a7e4f6c9d0b1a2c3e4f5a6b',
    ...extra,
  };
}

/** A product as the store renders it, cut to the fields a product always has; `/` escaped as wp_json_encode does. */
export const PRODUCT_BODY = JSON.stringify({
  id: 794,
  name: 'Caf\u00e9',
  permalink: 'https://shop.example/p/',
  type: 'simple',
  sku: '',
}).replace(/\//g, '\\/');

/** Serves a Fetch handler from node:http, the way Hono's or Next's Node adapters do. Test scaffolding only. */
export function fetchToNode(handler: FetchWebhookHandler) {
  return createServer(async (req, res) => {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers))
      for (const one of [v ?? []].flat()) headers.append(k, one);
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers,
      body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
      duplex: 'half',
    } as RequestInit);
    const response = await handler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
}

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
