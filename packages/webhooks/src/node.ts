/**
 * @wooapi/webhooks/node: the handler for Node's `http` server and Express (and anything with `(req, res, next)`).
 * It reads the raw body itself, so mount it before any body parser, or after `express.raw()`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { WebhookError } from './errors.js';
import {
  checkHandlerOptions,
  DEFAULT_BODY_TIMEOUT_MS,
  declaredLength,
  incomplete,
  refuse,
  reporter,
  serverError,
  type WebhookHandlerOptions,
  type WebhookResult,
} from './handler.js';
import { createWebhookProcessor, DEFAULT_MAX_BODY_BYTES } from './index.node.js';

export type { WebhookHandlerOptions } from './handler.js';

/** Never rejects: every request gets an answer (or, if its client is gone, nothing), and nothing reaches the host. */
export type NodeWebhookHandler = (
  req: IncomingMessage & { body?: unknown },
  res: ServerResponse,
  next?: (err?: unknown) => void,
) => Promise<void>;

const ignore = () => {};

function send(res: ServerResponse, result: WebhookResult): void {
  // The client left, or someone else answered: nothing to send, and nothing to throw.
  if (res.headersSent || res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(result.body);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  };
  // The rest of an oversized or late body is not worth reading on this connection.
  if (result.status === 413 || result.status === 408) headers.connection = 'close';
  res.writeHead(result.status, headers);
  res.end(text);
}

function tooLarge(length: number | undefined, max: number): WebhookError {
  const size = length === undefined ? 'over' : `${length} bytes, over`;
  return new WebhookError('body_too_large', `The body is ${size} the ${max}-byte limit (maxBodyBytes).`);
}

function readBody(req: IncomingMessage, max: number, timeoutMs: number): Promise<Uint8Array> {
  const length = declaredLength(req.headers['content-length']);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = () => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
    };
    const stop = (err: Error) => {
      cleanup();
      // Stop buffering but keep draining (not destroying) the request, so the client reads our answer.
      req.resume();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > max) return stop(tooLarge(undefined, max));
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, total));
    };
    // Closed before 'end': the client went away mid-body.
    const onClose = () => stop(incomplete());
    const timer = setTimeout(
      () =>
        stop(
          new WebhookError(
            'body_timeout',
            `The body did not arrive within ${timeoutMs} ms (bodyTimeoutMs); a store sends its deliveries at once.`,
          ),
        ),
      timeoutMs,
    );
    if (length !== undefined && length > max) return stop(tooLarge(length, max));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
  });
}

/** `(req, res, next?)` for `http.createServer`, Express, Connect, Polka... */
export function createNodeWebhookHandler(options: WebhookHandlerOptions): NodeWebhookHandler {
  checkHandlerOptions(options, 'createNodeWebhookHandler');
  const process = createWebhookProcessor(options);
  const report = reporter(options);
  const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const timeout = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;

  async function handle(
    req: IncomingMessage & { body?: unknown },
    res: ServerResponse,
    next?: (err?: unknown) => void,
  ) {
    let rawBody: Uint8Array;
    try {
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
        rawBody = await readBody(req, max, timeout);
      }
    } catch (err) {
      if (err instanceof WebhookError) {
        report(err);
        return send(res, refuse(err));
      }
      if (next) return next(err);
      report(err);
      return send(res, serverError());
    }
    // headersDistinct keeps a repeated header as two values, where req.headers would join them with ", ".
    const headers = req.headersDistinct ?? req.headers;
    send(res, await process({ method: req.method ?? 'GET', headers, rawBody }));
  }

  return async function nodeWebhookHandler(req, res, next) {
    // A stream 'error' with no listener would throw in the host process: the client resetting, a socket failing.
    req.on('error', ignore);
    res.on('error', ignore);
    try {
      await handle(req, res, next);
    } catch (err) {
      report(err);
      try {
        send(res, serverError());
      } catch {
        // The socket is gone; there is no one left to answer.
      }
    }
  };
}
