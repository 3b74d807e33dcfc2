/**
 * @wooapi/webhooks/node: the handler for Node's `http` server and Express (and anything with `(req, res, next)`).
 * It reads the raw body itself, so mount it before any body parser, or after `express.raw()`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { WebhookError } from './errors.js';
import { declaredLength, type WebhookHandlerOptions, type WebhookResult } from './handler.js';
import { createWebhookProcessor, DEFAULT_MAX_BODY_BYTES } from './index.node.js';

export type { WebhookHandlerOptions } from './handler.js';

export type NodeWebhookHandler = (
  req: IncomingMessage & { body?: unknown },
  res: ServerResponse,
  next?: (err?: unknown) => void,
) => Promise<void>;

function send(res: ServerResponse, result: WebhookResult): void {
  const text = JSON.stringify(result.body);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  };
  // The rest of an oversized body is not worth reading on this connection.
  if (result.status === 413) headers.connection = 'close';
  res.writeHead(result.status, headers);
  res.end(text);
}

function tooLarge(length: number | undefined, max: number): WebhookError {
  const size = length === undefined ? 'over' : `${length} bytes, over`;
  return new WebhookError('body_too_large', `The body is ${size} the ${max}-byte limit (maxBodyBytes).`);
}

function readBody(req: IncomingMessage, max: number): Promise<Uint8Array> {
  const length = declaredLength(req.headers['content-length']);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const stop = (err: Error) => {
      // Stop buffering but keep draining (not destroying) the request, so the client reads our 413.
      req.off('data', onData);
      req.off('end', onEnd);
      req.resume();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > max) return stop(tooLarge(undefined, max));
      chunks.push(chunk);
    };
    const onEnd = () => resolve(Buffer.concat(chunks, total));
    if (length !== undefined && length > max) return stop(tooLarge(length, max));
    req.on('data', onData);
    req.on('end', onEnd);
    req.once('error', reject);
  });
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
      send(res, {
        status: 500,
        body: { ok: false, error: 'server_error', message: 'The webhook handler failed.' },
      });
    }
  };
}
