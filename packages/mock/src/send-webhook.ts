/**
 * Delivers a webhook to a receiver the way a WooCommerce 11.0.1 store does (`WC_Webhook::deliver` and
 * `deliver_ping`), for testing receivers: the body, the headers, the signature and the success rule are WooCommerce's.
 */

import { randomBytes } from 'node:crypto';
import { resolveRef as resolve } from '@wooapi/spec/ref';
import { signWebhookBody } from '@wooapi/webhooks';
import { readAtMost } from './read.js';
import { bundledSpecPath, type OpenApiDoc, readSpec } from './spec.js';
import { wpJsonEncode } from './wp-json.js';

/** What a WooCommerce 11.0.1 store on WordPress 7.1 sends as `User-Agent`. */
export const WOOCOMMERCE_USER_AGENT = 'WooCommerce/11.0.1 Hookshot (WordPress/7.1)';
/** WooCommerce waits up to a minute (`MINUTE_IN_SECONDS`) for the receiver, then logs a failed delivery. */
export const WEBHOOK_TIMEOUT_MS = 60_000;
/** How much of a receiver's answer `sendWebhook` reads: 1 MiB (a receiver may answer anything; its status decides). */
export const MAX_ANSWER_BYTES = 2 ** 20;

export interface SendWebhookOptions {
  /** The receiver's delivery URL. */
  url: string | URL;
  /** A topic of the spec (`order.created`), `action.<hook>` (`action.woocommerce_add_to_cart`), or `ping`. */
  topic: string;
  /** The webhook's secret, as the store holds it (HTML entities are decoded before signing, as WooCommerce does). */
  secret: string;
  /** The body; default the spec's example for the topic. Encoded as `wp_json_encode` does. Not for `ping`. */
  payload?: unknown;
  /** `X-WC-Webhook-ID` (and the ping's `webhook_id`); default the spec's example, 12. */
  webhookId?: number;
  /** `X-WC-Webhook-Delivery-ID`; default a fresh 32-hex-digit id, like the store's `wp_hash()`. */
  deliveryId?: string;
  /** `X-WC-Webhook-Source`, the store's home URL; default the spec's example, `https://example.com/`. */
  source?: string;
  /** Extra headers, or replacements for WooCommerce's (to test how a receiver refuses a bad delivery). */
  headers?: Record<string, string>;
  /** The fetch to send with; default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Give up after this many ms, as the store does after a minute; default 60,000. */
  timeoutMs?: number;
  /** Another bundled spec to take topics and examples from (your store's extended spec); default `@wooapi/spec`. */
  spec?: string;
}

export interface SentWebhook {
  /** The receiver's HTTP status. */
  status: number;
  /**
   * Whether WooCommerce would count the delivery as successful: 200 <= status < 303 (redirects are not followed),
   * and exactly 200 for the ping.
   */
  ok: boolean;
  /** The receiver's answer headers (lower-case names). */
  headers: Record<string, string>;
  /** The receiver's answer body, as text: its first 1 MiB (the rest of a longer one is not read). */
  body: string;
  /** What was sent: the headers with WooCommerce's casing, and the exact body bytes the signature covers. */
  request: { headers: Record<string, string>; rawBody: Uint8Array };
}

// biome-ignore lint/suspicious/noExplicitAny: the bundle is plain JSON, walked generically
type Node = any;

const specs = new Map<string, Promise<OpenApiDoc>>();

function loadSpec(file: string): Promise<OpenApiDoc> {
  let doc = specs.get(file);
  if (!doc) {
    doc = readSpec(file);
    doc.catch(() => specs.delete(file));
    specs.set(file, doc);
  }
  return doc;
}

/** The spec's webhook keys as a reader would type them: `action.*` reads `action.<hook>`. */
export function knownTopics(doc: OpenApiDoc): string[] {
  return Object.keys(doc.webhooks ?? {}).map((k) => (k.endsWith('.*') ? `${k.slice(0, -1)}<hook>` : k));
}

interface Topic {
  key: string; // the spec's webhooks key: `order.created`, `action.*`, `ping`
  resource: string;
  event: string;
}

function findTopic(doc: OpenApiDoc, topic: string): Topic {
  const webhooks = doc.webhooks ?? {};
  const dot = topic.indexOf('.');
  const resource = dot > 0 ? topic.slice(0, dot) : topic;
  const event = dot > 0 ? topic.slice(dot + 1) : '';
  if (Object.hasOwn(webhooks, topic) && !topic.endsWith('*')) return { key: topic, resource, event };
  const pattern = `${resource}.*`;
  if (dot > 0 && Object.hasOwn(webhooks, pattern)) {
    if (event === '*' || !/^[^\s.,][^\s,]*$/.test(event)) {
      throw new Error(
        `sendWebhook: "${topic}" names no hook. Action topics are ${resource}.<hook>, e.g. ${resource}.woocommerce_add_to_cart.`,
      );
    }
    return { key: pattern, resource, event };
  }
  throw new Error(`sendWebhook: unknown topic "${topic}". The spec lists: ${knownTopics(doc).join(', ')}.`);
}

/** Every example the request body declares: the media type's, then its payload schema's. */
function examplesOf(doc: OpenApiDoc, key: string, mediaType: string): unknown[] {
  const post = resolve(doc, resolve(doc, (doc.webhooks as Node)[key])?.post);
  const media = resolve(doc, post?.requestBody)?.content?.[mediaType];
  if (!media) return [];
  const found: unknown[] = [];
  if (media.example !== undefined) found.push(media.example);
  for (const ex of Object.values<Node>(media.examples ?? {})) {
    const value = resolve(doc, ex)?.value;
    if (value !== undefined) found.push(value);
  }
  const schema = resolve(doc, media.schema);
  if (Array.isArray(schema?.examples)) found.push(...schema.examples);
  if (schema?.example !== undefined) found.push(schema.example);
  return found;
}

function headerExample(doc: OpenApiDoc, key: string, name: string): unknown {
  const post = resolve(doc, resolve(doc, (doc.webhooks as Node)[key])?.post);
  for (const p of post?.parameters ?? []) {
    const param = resolve(doc, p);
    if (param?.in === 'header' && String(param.name).toLowerCase() === name.toLowerCase()) {
      return param.example ?? resolve(doc, param.schema)?.example;
    }
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function defaultPayload(doc: OpenApiDoc, topic: string, t: Topic): unknown {
  const examples = examplesOf(doc, t.key, 'application/json');
  if (t.key.endsWith('.*')) {
    // WooCommerce sends { action: <the hook>, arg: <its first argument> }: the hook's own example, or another's arg.
    const own = examples.find((e) => isObject(e) && e.action === t.event);
    if (own !== undefined) return own;
    const first = examples.find(isObject);
    if (first) return { ...first, action: t.event };
  } else if (examples.length > 0) {
    return examples[0];
  }
  throw new Error(`sendWebhook: the spec has no example body for "${topic}"; pass one as \`payload\`.`);
}

function checkPayload(topic: string, t: Topic, payload: unknown): void {
  if (!isObject(payload)) {
    throw new TypeError(
      `sendWebhook: payload for "${topic}" must be a JSON object; WooCommerce always sends one.`,
    );
  }
  const action = t.key.endsWith('.*');
  if (!action && t.event === 'deleted') {
    const keys = Object.keys(payload);
    if (keys.length !== 1 || keys[0] !== 'id' || !Number.isInteger(payload.id)) {
      throw new TypeError(
        `sendWebhook: "${topic}" sends { id } only (the id of what was deleted), e.g. { id: 794 }.`,
      );
    }
  }
  if (action && (payload.action !== t.event || !('arg' in payload))) {
    throw new TypeError(
      `sendWebhook: "${topic}" sends { action: '${t.event}', arg } (the hook and its first argument).`,
    );
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new TypeError(`sendWebhook: ${name} must be a positive integer, got ${String(value)}.`);
  }
  return value;
}

/** Sends one delivery of `topic` to `url` exactly as a WooCommerce 11.0.1 store would, and reports the answer. */
export async function sendWebhook(options: SendWebhookOptions): Promise<SentWebhook> {
  if (!options || typeof options !== 'object')
    throw new TypeError('sendWebhook needs { url, topic, secret }.');
  const { topic, secret } = options;
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new TypeError(`sendWebhook: url "${String(options.url)}" is not an absolute URL.`);
  }
  if (typeof topic !== 'string' || topic === '') {
    throw new TypeError('sendWebhook: topic is required, e.g. "order.created".');
  }
  if (typeof secret !== 'string' || secret === '') {
    throw new TypeError("sendWebhook: secret is required: the webhook's secret, as the store holds it.");
  }
  const doc = await loadSpec(options.spec ?? bundledSpecPath());
  const t = findTopic(doc, topic);

  const rawId = options.webhookId ?? headerExample(doc, t.key, 'X-WC-Webhook-ID') ?? 12;
  const webhookId = positiveInteger('webhookId', Number(rawId));
  let headers: Record<string, string>;
  let body: string;
  if (t.key === 'ping') {
    if (options.payload !== undefined) {
      throw new TypeError('sendWebhook: the ping has no payload; its body is webhook_id=<webhookId>.');
    }
    // deliver_ping(): wp_safe_remote_post with a string body, sent form-encoded, no X-WC-Webhook-* header.
    body = `webhook_id=${webhookId}`;
    headers = {
      'User-Agent': WOOCOMMERCE_USER_AGENT,
      'Content-Type': 'application/x-www-form-urlencoded',
    };
  } else {
    const payload = options.payload === undefined ? defaultPayload(doc, topic, t) : options.payload;
    checkPayload(topic, t, payload);
    body = wpJsonEncode(payload).trim();
    const source =
      options.source ?? String(headerExample(doc, t.key, 'X-WC-Webhook-Source') ?? 'https://example.com/');
    if (!URL.canParse(source)) throw new TypeError(`sendWebhook: source "${source}" is not a URL.`);
    const deliveryId = options.deliveryId ?? randomBytes(16).toString('hex');
    if (typeof deliveryId !== 'string' || deliveryId === '') {
      throw new TypeError('sendWebhook: deliveryId must be a non-empty string.');
    }
    headers = {
      'User-Agent': WOOCOMMERCE_USER_AGENT,
      'Content-Type': 'application/json',
      'X-WC-Webhook-Source': source,
      'X-WC-Webhook-Topic': topic,
      'X-WC-Webhook-Resource': t.resource,
      'X-WC-Webhook-Event': t.event,
      'X-WC-Webhook-Signature': await signWebhookBody(body, secret),
      'X-WC-Webhook-ID': String(webhookId),
      'X-WC-Webhook-Delivery-ID': deliveryId,
    };
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    for (const existing of Object.keys(headers)) {
      if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
    }
    headers[name] = value;
  }

  const rawBody = new TextEncoder().encode(body);
  const send = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  let response: Response;
  try {
    response = await send(url, {
      method: 'POST',
      headers,
      body: rawBody,
      redirect: 'manual', // WooCommerce sets 'redirection' => 0: a 301/302 is the answer, not followed.
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const err = error as Error;
    const why =
      err.name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : ((err.cause as Error)?.message ?? err.message);
    throw new Error(
      `sendWebhook: could not deliver ${topic} to ${url.origin}${url.pathname} (${why}); WooCommerce would log a failed delivery.`,
      { cause: error },
    );
  }
  const { text } = await readAtMost(response, MAX_ANSWER_BYTES);
  const status = response.status;
  return {
    status,
    ok: t.key === 'ping' ? status === 200 : status >= 200 && status < 303,
    headers: Object.fromEntries(response.headers),
    body: text,
    request: { headers, rawBody },
  };
}
