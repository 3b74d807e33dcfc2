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
import { checkReplayGuard, release } from './replay.js';
import { resolveSecrets } from './verify.js';

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
  /** Called with every refusal (a `WebhookError`, safe to log) and every error a handler throws. May throw: ignored. */
  onError?: (error: unknown) => void;
  /**
   * Give up on a body that has not fully arrived this many milliseconds after the handler started reading it
   * (`body_timeout`, 408). Default 10 s (`DEFAULT_BODY_TIMEOUT_MS`): a store sends its few kilobytes at once.
   */
  bodyTimeoutMs?: number;
}

export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

/** Every option checked when the handler is built, so a misconfiguration fails at start-up, not on each delivery. */
export function checkHandlerOptions(options: WebhookHandlerOptions, name: string): void {
  if (!options || typeof options !== 'object') {
    throw new TypeError(`${name} needs options: { secret, on }.`);
  }
  if (options.secret === undefined || options.secret === null) {
    throw new TypeError(
      `${name} needs { secret }: the webhook secret (or several during a rotation). If you read it from the ` +
        'environment, the variable is not set.',
    );
  }
  try {
    resolveSecrets(options.secret, options);
  } catch (err) {
    throw new TypeError(
      `${name}: ${(err as Error).message} An empty secret would refuse every delivery: check that the variable ` +
        "holding it is set, and copy the secret from the webhook's settings in WooCommerce.",
    );
  }
  const positive = (value: unknown, what: string, integer: boolean) => {
    if (value === undefined) return;
    const ok =
      typeof value === 'number' && value > 0 && (integer ? Number.isSafeInteger(value) : value < 2 ** 31);
    if (!ok)
      throw new TypeError(
        `${name}: ${what} must be a positive ${integer ? 'integer' : 'number below 2147483648'} (got ${String(value)}).`,
      );
  };
  positive(options.maxBodyBytes, 'maxBodyBytes', true);
  positive(options.bodyTimeoutMs, 'bodyTimeoutMs (milliseconds)', false);
  for (const key of ['onPing', 'fallback', 'onError'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'function') {
      throw new TypeError(`${name}: ${key} must be a function.`);
    }
  }
  if (options.replayGuard !== undefined) checkReplayGuard(options.replayGuard);
}

/** Calls `onError`; a logger that throws must not change the answer or escape to the host. */
export function reporter(options: WebhookHandlerOptions): (err: unknown) => void {
  return (err) => {
    try {
      const r = options.onError?.(err) as unknown;
      // An async onError that rejects must not become an unhandled rejection either.
      if (r && typeof (r as Promise<unknown>).then === 'function')
        (r as Promise<unknown>).then(undefined, () => {});
    } catch {
      // ignored on purpose
    }
  };
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

export function refuse(err: WebhookError): WebhookResult {
  return { status: err.status, body: { ok: false, error: err.code, message: err.message } };
}

function pick(on: Record<string, Handler<never> | undefined>, topic: string): Handler<never> | undefined {
  const exact = on[topic];
  if (exact) return exact;
  for (const p of WEBHOOK_TOPIC_PATTERNS) if (p.test.test(topic) && on[p.key]) return on[p.key];
  return undefined;
}

export function makeProcess(parseWebhook: ParseWebhook, options: WebhookHandlerOptions): ProcessWebhook {
  checkHandlerOptions(options, 'createWebhookHandler');
  const on = (options.on ?? {}) as Record<string, Handler<never> | undefined>;
  for (const [topic, fn] of Object.entries(on)) {
    if (typeof fn !== 'function') throw new TypeError(`on["${topic}"] must be a function.`);
  }
  const report = reporter(options);

  // Never rejects: every outcome is an answer for the store.
  return async function processWebhook(request) {
    let parsed: Awaited<ReturnType<ParseWebhook>>;
    try {
      if (String(request.method).toUpperCase() !== 'POST') {
        throw new WebhookError(
          'method_not_allowed',
          `${request.method} is not allowed; WooCommerce delivers with POST.`,
        );
      }
      parsed = await parseWebhook(request, options);
    } catch (err) {
      report(err);
      if (isWebhookError(err)) return refuse(err);
      // A failing replay store, or a bug: fail closed, say nothing about it to the store.
      return serverError();
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
      await release(parsed);
      // The handler's message may hold anything; the store's delivery log gets only this.
      return {
        status: 500,
        body: { ok: false, error: 'handler_failed', message: 'The webhook handler threw.' },
      };
    }
  };
}

export function serverError(): WebhookResult {
  return { status: 500, body: { ok: false, error: 'server_error', message: 'The webhook handler failed.' } };
}

function timedOut(ms: number): WebhookError {
  return new WebhookError(
    'body_timeout',
    `The body did not arrive within ${ms} ms (bodyTimeoutMs); a store sends its deliveries at once.`,
  );
}

export function incomplete(): WebhookError {
  return new WebhookError(
    'body_incomplete',
    'The body ended early: the connection closed or failed before the whole body arrived.',
  );
}

/**
 * Reads a stream up to `max` bytes within `timeoutMs`; one byte more is `body_too_large` and a body still arriving
 * at the deadline is `body_timeout`, without reading the rest. A stream that fails is `body_incomplete`.
 */
export async function readLimited(
  stream: ReadableStream<Uint8Array> | null,
  max: number,
  timeoutMs: number = DEFAULT_BODY_TIMEOUT_MS,
): Promise<Uint8Array> {
  if (!stream) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let late = false;
  const timer = setTimeout(() => {
    late = true;
    reader.cancel().catch(() => {});
  }, timeoutMs);
  try {
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await reader.read();
      } catch {
        throw late ? timedOut(timeoutMs) : incomplete();
      }
      if (late) throw timedOut(timeoutMs);
      const { done, value } = step;
      if (done) break;
      total += value.byteLength;
      if (total > max) {
        await reader.cancel().catch(() => {});
        checkSize(total, max);
      }
      chunks.push(value);
    }
  } finally {
    clearTimeout(timer);
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
  const report = reporter(options);
  const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const timeout = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  const json = (r: WebhookResult) =>
    new Response(JSON.stringify(r.body), {
      status: r.status,
      // The rest of an oversized or late body is not worth reading on this connection.
      headers:
        r.status === 413 || r.status === 408
          ? { 'content-type': 'application/json', connection: 'close' }
          : { 'content-type': 'application/json' },
    });
  // Never rejects: whatever the request, the runtime gets a Response.
  return async function webhookHandler(request) {
    let rawBody: Uint8Array;
    try {
      if (request.bodyUsed) {
        // Said to you (onError), not to the store: it is a mistake in how the handler is mounted.
        throw new Error(
          'The request body was already read, so its raw bytes are gone and the signature cannot be checked. ' +
            'Give the webhook handler the Request before anything reads its body (or pass request.clone()).',
        );
      }
      const length = declaredLength(request.headers.get('content-length'));
      if (length !== undefined) checkSize(length, max);
      rawBody = request.method === 'POST' ? await readLimited(request.body, max, timeout) : new Uint8Array(0);
    } catch (err) {
      report(err);
      return json(isWebhookError(err) ? refuse(err) : serverError());
    }
    return json(await process({ method: request.method, headers: request.headers, rawBody }));
  };
}
