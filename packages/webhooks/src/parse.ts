import { WebhookError } from './errors.js';
import type { PingEvent, UnknownWebhookEvent } from './event.js';
import type { WebhookEvent } from './generated/events.js';
import { WEBHOOK_TOPIC_PATTERNS, WEBHOOK_TOPICS } from './generated/topics.js';
import { type HeadersInput, readHeader } from './headers.js';
import { checkReplayGuard, type ReplayGuard, remember, replayKey } from './replay.js';
import { checkShape } from './shape.js';
import {
  type RawBody,
  toBytes,
  type VerifyOptions,
  type VerifyWebhookSignature,
  type WebhookSecret,
} from './verify.js';

/** What `parseWebhook` returns: a typed event, the creation ping, or a signed event of a topic the spec lacks. */
export type ParsedWebhook = WebhookEvent | PingEvent | UnknownWebhookEvent;

export interface WebhookRequest {
  headers: HeadersInput;
  /** The body exactly as received, before any JSON parsing. */
  rawBody: RawBody;
}

export interface ParseOptions extends VerifyOptions {
  /** The webhook's secret, or several during a rotation. */
  secret: WebhookSecret;
  /** Refuse bodies larger than this many bytes (`body_too_large`). Default 1 MiB. */
  maxBodyBytes?: number;
  /**
   * Refuse a delivery seen before (`replayed`), from `createReplayGuard()`. Off by default: WooCommerce's
   * signature has no timestamp, so a captured delivery verifies for ever without it.
   */
  replayGuard?: ReplayGuard;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const H = {
  signature: 'x-wc-webhook-signature',
  topic: 'x-wc-webhook-topic',
  resource: 'x-wc-webhook-resource',
  event: 'x-wc-webhook-event',
  id: 'x-wc-webhook-id',
  delivery: 'x-wc-webhook-delivery-id',
  source: 'x-wc-webhook-source',
} as const;
const KNOWN = new Set<string>(WEBHOOK_TOPICS);
const PING_RE = /^webhook_id=([1-9][0-9]{0,18})$/;
const TOPIC_RE = /^([a-z][a-z0-9_]*)\.([^\s.,][^\s,]*)$/;
const ID_RE = /^[1-9][0-9]{0,15}$/;
const DELIVERY_RE = /^[A-Za-z0-9_-]{1,128}$/;
const decoder = new TextDecoder('utf-8', { fatal: true });

function single(headers: HeadersInput, name: string): string | undefined {
  const v = readHeader(headers, name);
  if (Array.isArray(v))
    throw new WebhookError('malformed_header', `${name} was sent ${v.length} times; send it once.`);
  return v;
}

function required(headers: HeadersInput, name: string): string {
  const v = single(headers, name);
  if (v === undefined || v === '') throw new WebhookError('missing_header', `${name} is missing.`);
  return v;
}

function mediaType(headers: HeadersInput): string | undefined {
  return single(headers, 'content-type')?.split(';')[0]?.trim().toLowerCase();
}

export function checkSize(length: number, max: number): void {
  if (length > max) {
    throw new WebhookError(
      'body_too_large',
      `The body is ${length} bytes, over the ${max}-byte limit (maxBodyBytes).`,
    );
  }
}

/** The ping carries no signature and no X-WC-Webhook-* header at all; anything less clean is not a ping. */
function asPing(headers: HeadersInput, body: Uint8Array): PingEvent | null {
  if (body.length > 40) return null;
  for (const name of Object.values(H)) if (readHeader(headers, name) !== undefined) return null;
  const type = mediaType(headers);
  if (type !== undefined && type !== 'application/x-www-form-urlencoded') return null;
  let text: string;
  try {
    text = decoder.decode(body);
  } catch {
    return null;
  }
  const m = PING_RE.exec(text);
  return m ? { kind: 'ping', webhookId: Number(m[1]) } : null;
}

export type ParseWebhook = (request: WebhookRequest, options: ParseOptions) => Promise<ParsedWebhook>;

export function makeParse(verify: VerifyWebhookSignature): ParseWebhook {
  return async function parseWebhook(request, options) {
    if (!options || options.secret === undefined) {
      throw new TypeError(
        'parseWebhook needs { secret }: the webhook secret (or several during a rotation).',
      );
    }
    const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    if (options.replayGuard !== undefined) checkReplayGuard(options.replayGuard);
    const body = toBytes(request.rawBody);
    checkSize(body.length, max);
    const { headers } = request;

    const signature = single(headers, H.signature);
    if (signature === undefined || signature === '') {
      const ping = asPing(headers, body);
      if (ping) return ping;
      throw new WebhookError(
        'missing_signature',
        `${H.signature} is missing; only the creation ping comes unsigned.`,
      );
    }
    // Fetch's Headers (and proxies) join a repeated header with ", "; base64 has no comma.
    if (signature.includes(',')) {
      throw new WebhookError('malformed_header', `${H.signature} was sent more than once; send it once.`);
    }
    if (!(await verify(body, signature, options.secret, options))) {
      throw new WebhookError(
        'invalid_signature',
        `${H.signature} does not match the body: wrong secret, a body changed in transit or re-serialized before ` +
          'verifying (verify the raw bytes), or not sent by your store.',
      );
    }

    const type = mediaType(headers);
    if (type !== 'application/json') {
      throw new WebhookError(
        'unsupported_content_type',
        `Content-Type is ${type === undefined ? 'missing' : `"${type}"`}; WooCommerce deliveries are application/json.`,
      );
    }
    const topic = required(headers, H.topic);
    const resource = required(headers, H.resource);
    const event = required(headers, H.event);
    const rawId = required(headers, H.id);
    const deliveryId = required(headers, H.delivery);
    const source = required(headers, H.source);
    // WooCommerce stores a topic in a varchar(200): a longer one was not sent by a store (and would bloat replay keys).
    if (topic.length > 200) throw new WebhookError('malformed_header', `${H.topic} is over 200 characters.`);
    const m = TOPIC_RE.exec(topic);
    if (!m) throw new WebhookError('malformed_header', `${H.topic} is not "resource.event".`);
    if (m[1] !== resource || m[2] !== event) {
      throw new WebhookError('malformed_header', `${H.topic} does not match ${H.resource} and ${H.event}.`);
    }
    if (!ID_RE.test(rawId)) throw new WebhookError('malformed_header', `${H.id} is not a positive integer.`);
    if (!DELIVERY_RE.test(deliveryId)) {
      throw new WebhookError(
        'malformed_header',
        `${H.delivery} is not a delivery id (letters, digits, - and _).`,
      );
    }
    if (/\s|,/.test(source) || !URL.canParse(source)) {
      throw new WebhookError('malformed_header', `${H.source} is not a URL.`);
    }

    let payload: unknown;
    try {
      payload = JSON.parse(decoder.decode(body));
    } catch (err) {
      const why = err instanceof SyntaxError ? 'is not valid JSON' : 'is not valid UTF-8';
      throw new WebhookError('invalid_json', `The body ${why}.`);
    }

    const known = KNOWN.has(topic) || WEBHOOK_TOPIC_PATTERNS.some((p) => p.test.test(topic));
    const base = { topic, resource, event, webhookId: Number(rawId), deliveryId, source, payload };
    let parsed: WebhookEvent | UnknownWebhookEvent;
    if (known) {
      if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
        throw new WebhookError('invalid_payload', `The ${topic} body is not a JSON object.`);
      }
      checkShape(topic, resource, event, payload as Record<string, unknown>);
      parsed = { kind: 'event', ...base } as WebhookEvent;
    } else {
      parsed = { kind: 'unknown', ...base } satisfies UnknownWebhookEvent;
    }
    const guard = options.replayGuard;
    if (guard) {
      const key = replayKey(guard, { topic, deliveryId, signature });
      if (!(await guard.store.add(key, guard.ttlMs))) {
        throw new WebhookError(
          'replayed',
          `This delivery was already received (same ${guard.key.replace(/-/g, ' ')}); a replay was refused.`,
        );
      }
      remember(parsed, guard, key);
    }
    return parsed;
  };
}
