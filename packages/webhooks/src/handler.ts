import { isWebhookError, WebhookError } from './errors.js';
import type { PingEvent, UnknownWebhookEvent } from './event.js';
import type { WebhookEvent, WebhookEventMap, WebhookPatternEventMap } from './generated/events.js';
import { WEBHOOK_TOPIC_PATTERNS } from './generated/topics.js';
import {
  checkSize,
  DEFAULT_MAX_BODY_BYTES,
  type ParseOptions,
  type ParseWebhook,
  type WebhookRequest,
} from './parse.js';

type Handler<E> = (event: E) => unknown;

/** `on` map: a handler per topic, typed by topic; pattern topics (`action.*` or one hook) take the pattern's event. */
export type WebhookHandlers = { [T in keyof WebhookEventMap]?: Handler<WebhookEventMap[T]> } & {
  [T in keyof WebhookPatternEventMap]?: Handler<WebhookPatternEventMap[T]>;
};

export interface WebhookHandlerOptions extends ParseOptions {
  on?: WebhookHandlers;
  /** The creation ping. It is unsigned: log it, act on nothing in it. It gets a 200 either way, even if this throws. */
  onPing?: (ping: PingEvent) => unknown;
  /** A signed event with no handler in `on`, or of a topic the spec does not list. Without it: 200, ignored. */
  fallback?: (event: WebhookEvent | UnknownWebhookEvent) => unknown;
  /** Called with every refusal (a `WebhookError`, safe to log) and every error a handler throws. */
  onError?: (error: unknown) => void;
}

/** An answer for the store, independent of the runtime. */
export interface WebhookResult {
  status: number;
  body:
    | { ok: true; kind: 'ping' | 'event' | 'unknown'; handled: boolean }
    | { ok: false; error: string; message: string };
}

export interface RawWebhookRequest extends WebhookRequest {
  method: string;
}

export type ProcessWebhook = (request: RawWebhookRequest) => Promise<WebhookResult>;

function refuse(err: WebhookError): WebhookResult {
  return { status: err.status, body: { ok: false, error: err.code, message: err.message } };
}

function pick(on: Record<string, Handler<never> | undefined>, topic: string): Handler<never> | undefined {
  const exact = on[topic];
  if (exact) return exact;
  for (const p of WEBHOOK_TOPIC_PATTERNS) if (p.test.test(topic) && on[p.key]) return on[p.key];
  return undefined;
}

export function makeProcess(parseWebhook: ParseWebhook, options: WebhookHandlerOptions): ProcessWebhook {
  if (!options || options.secret === undefined) {
    throw new TypeError(
      'createWebhookHandler needs { secret }: the webhook secret (or several during a rotation).',
    );
  }
  const on = (options.on ?? {}) as Record<string, Handler<never> | undefined>;
  for (const [topic, fn] of Object.entries(on)) {
    if (typeof fn !== 'function') throw new TypeError(`on["${topic}"] must be a function.`);
  }
  const report = (err: unknown) => {
    try {
      options.onError?.(err);
    } catch {
      // A failing logger must not change the answer.
    }
  };

  return async function processWebhook(request) {
    let parsed: Awaited<ReturnType<ParseWebhook>>;
    try {
      if (request.method.toUpperCase() !== 'POST') {
        throw new WebhookError(
          'method_not_allowed',
          `${request.method} is not allowed; WooCommerce delivers with POST.`,
        );
      }
      parsed = await parseWebhook(request, options);
    } catch (err) {
      report(err);
      if (isWebhookError(err)) return refuse(err);
      throw err;
    }
    try {
      if (parsed.kind === 'ping') {
        // The store saves the webhook only after a 200 to its ping, so a failing onPing is reported, not answered.
        await Promise.resolve()
          .then(() => options.onPing?.(parsed))
          .catch(report);
        return { status: 200, body: { ok: true, kind: 'ping', handled: options.onPing !== undefined } };
      }
      const fn = parsed.kind === 'event' ? pick(on, parsed.topic) : undefined;
      const target = (fn ?? options.fallback) as Handler<typeof parsed> | undefined;
      await target?.(parsed);
      return { status: 200, body: { ok: true, kind: parsed.kind, handled: target !== undefined } };
    } catch (err) {
      report(err);
      // The handler's message may hold anything; the store's delivery log gets only this.
      return {
        status: 500,
        body: { ok: false, error: 'handler_failed', message: 'The webhook handler threw.' },
      };
    }
  };
}

/** Reads a stream up to `max` bytes; one byte more is `body_too_large`, without reading the rest. */
export async function readLimited(
  stream: ReadableStream<Uint8Array> | null,
  max: number,
): Promise<Uint8Array> {
  if (!stream) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      checkSize(total, max);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

export function declaredLength(value: string | null | undefined): number | undefined {
  if (value == null || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

export type FetchWebhookHandler = (request: Request) => Promise<Response>;

export function makeFetchHandler(
  parseWebhook: ParseWebhook,
  options: WebhookHandlerOptions,
): FetchWebhookHandler {
  const process = makeProcess(parseWebhook, options);
  const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const json = (r: WebhookResult) =>
    new Response(JSON.stringify(r.body), {
      status: r.status,
      // The rest of an oversized body is not worth reading on this connection.
      headers:
        r.status === 413
          ? { 'content-type': 'application/json', connection: 'close' }
          : { 'content-type': 'application/json' },
    });
  return async function webhookHandler(request) {
    let rawBody: Uint8Array;
    try {
      const length = declaredLength(request.headers.get('content-length'));
      if (length !== undefined) checkSize(length, max);
      rawBody = request.method === 'POST' ? await readLimited(request.body, max) : new Uint8Array(0);
    } catch (err) {
      if (!isWebhookError(err)) throw err;
      try {
        options.onError?.(err);
      } catch {
        // A failing logger must not change the answer.
      }
      return json(refuse(err));
    }
    return json(await process({ method: request.method, headers: request.headers, rawBody }));
  };
}
