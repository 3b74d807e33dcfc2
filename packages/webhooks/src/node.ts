/**
 * @wooapi/webhooks/node: the handler for Node's `http` server and Express (and anything with `(req, res, next)`).
 * It reads the raw body itself, so mount it before any body parser, or after `express.raw()`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { WebhookError } from './errors.js';
import { DEFAULT_MAX_BODY_BYTES, createWebhookProcessor } from './index.node.js';
import { type WebhookHandlerOptions, type WebhookResult, declaredLength } from './handler.js';

export type { WebhookHandlerOptions } from './handler.js';

export type NodeWebhookHandler = (
  req: IncomingMessage & { body?: unknown },
  res: ServerResponse,
  next?: (err?: unknown) => void,
) => Promise<void>;

function send(res: ServerResponse, result: WebhookResult): void {
  const text = JSON.stringify(result.body);
  res.writeHead(result.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage, max: number): Promise<Uint8Array> {
  const length = declaredLength(req.headers['content-length']);
  if (length !== undefined && length > max) {
    req.resume();
    throw new WebhookError('body_too_large', `The body is ${length} bytes, over the ${max}-byte limit (maxBodyBytes).`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += buf.length;
    if (total > max) {
      // Stop buffering but let the rest drain, so the client sees the 413 rather than a reset.
      req.resume();
      throw new WebhookError('body_too_large', `The body is over the ${max}-byte limit (maxBodyBytes).`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, total);
}

/** `(req, res, next?)` for `http.createServer`, Express, Connect, Polka... */
export function createNodeWebhookHandler(options: WebhookHandlerOptions): NodeWebhookHandler {
  const process = createWebhookProcessor(options);
  const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return async function nodeWebhookHandler(req, res, next) {
    try {
      let rawBody: Uint8Array;
      if (req.body instanceof Uint8Array) {
        rawBody = req.body; // express.raw() already read it: those are the bytes as sent.
      } else if ((req as { _body?: boolean })._body === true || req.readableEnded) {
        // body-parser sets _body once it consumed the stream.
        throw new Error(
          'The request body was already read and parsed, so its raw bytes are gone and the signature cannot be ' +
            'checked. Mount the webhook handler before express.json()/urlencoded(), or give its route ' +
            "express.raw(): app.post('/webhooks', express.raw({ type: '*/*' }), handler).",
        );
      } else if (req.method !== 'POST') {
        rawBody = new Uint8Array(0);
      } else {
        rawBody = await readBody(req, max);
      }
      send(res, await process({ method: req.method ?? 'GET', headers: req.headers, rawBody }));
    } catch (err) {
      if (err instanceof WebhookError) {
        options.onError?.(err);
        send(res, { status: err.status, body: { ok: false, error: err.code, message: err.message } });
        return;
      }
      if (next) return next(err);
      options.onError?.(err);
      send(res, { status: 500, body: { ok: false, error: 'server_error', message: 'The webhook handler failed.' } });
    }
  };
}
