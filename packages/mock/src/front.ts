import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The small HTTP server in front of Prism (mock and proxy alike). It owns the socket a client talks to, so nothing a
 * client sends reaches Prism unless Prism can take it: a URL that is not valid percent-encoded UTF-8 and a JSON body
 * that does not parse are answered (or, by the proxy, passed on) here, and every request is bounded in size and time.
 */
export interface FrontLimits {
  /** Largest request body, in bytes (default 4 MiB; PHP's `post_max_size` is 8 MiB, nginx's default 1 MiB): more answers 413. */
  maxBodyBytes: number;
  /** Time to receive a whole body once the headers are in (default 10 s): slower answers 408. */
  bodyTimeoutMs: number;
  /** Time to receive the request line and headers (default 10 s): slower answers 408. */
  headersTimeoutMs: number;
  /** Largest request head, in bytes (default 16 KiB, Node's and nginx's order of size): more answers 431. */
  maxHeaderBytes: number;
  /** Open connections at once (default 128): further connections are closed at once. */
  maxConnections: number;
  /** Time for Prism (or the store, through the proxy) to answer (default 30 s): slower answers 504. */
  answerTimeoutMs: number;
}

export const DEFAULT_LIMITS: FrontLimits = {
  maxBodyBytes: 4 * 1024 * 1024,
  bodyTimeoutMs: 10_000,
  headersTimeoutMs: 10_000,
  maxHeaderBytes: 16 * 1024,
  maxConnections: 128,
  answerTimeoutMs: 30_000,
};

export function checkLimits(given: Partial<FrontLimits> | undefined): FrontLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(given ?? {})) {
    if (!(key in DEFAULT_LIMITS)) {
      throw new Error(
        `limits.${key} is not a limit; the limits are ${Object.keys(DEFAULT_LIMITS).join(', ')}`,
      );
    }
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
      throw new Error(`limits.${key} must be a positive integer, got ${JSON.stringify(value)}`);
    limits[key as keyof FrontLimits] = value;
  }
  return limits;
}

/** A WooCommerce (WP_Error) shaped answer: `{ code, message, data: { status, ... } }`. */
export function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  data: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ code, message, data: { status, ...data } });
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(body),
    // As Prism answers, so a browser page (the docs' try-it) can read the error too.
    'access-control-allow-origin': '*',
    ...headers,
  });
  res.end(body);
}

export interface Malformed {
  status: 400;
  code: string;
  message: string;
  data?: Record<string, unknown>;
  /** Where it broke, for a proxy report: `request.url` or `request.body`. */
  location: string;
}

function decodes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/** The first part of a request target that is not valid percent-encoded UTF-8, as a 400 to send. */
export function checkTarget(target: string): Malformed | undefined {
  if (!target.startsWith('/')) {
    return {
      status: 400,
      code: 'wooapi_invalid_url',
      // Not echoed: an absolute-form target can carry credentials in its query.
      message: 'The request target must be a path starting with "/" (not an absolute URL or "*").',
      location: 'request.url',
    };
  }
  const q = target.indexOf('?');
  const pieces = [target.slice(0, q === -1 ? undefined : q)];
  if (q !== -1) for (const pair of target.slice(q + 1).split('&')) pieces.push(...pair.split('='));
  for (const piece of pieces) {
    if (!decodes(piece)) {
      // Name the escape run that fails (only escapes: never the rest of a value, which may be a credential).
      const runs = piece.match(/%[0-9a-fA-F]{2}(?:%[0-9a-fA-F]{2})*|%/g) ?? ['%'];
      const bad = runs.find((run) => !decodes(run)) ?? runs[0]!;
      return {
        status: 400,
        code: 'wooapi_invalid_url',
        message:
          `The request URL is not valid percent-encoded UTF-8 (near ${JSON.stringify(bad.slice(0, 40))}): ` +
          'encode each path segment and query value with encodeURIComponent.',
        location: 'request.url',
      };
    }
  }
  return undefined;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * WordPress's answer to a JSON body it cannot decode (`WP_REST_Request::has_valid_params`): 400 `rest_invalid_json`
 * with PHP's `json_last_error()` code and message (4 "Syntax error", 5 "Malformed UTF-8 characters").
 */
export function checkJsonBody(contentType: string | undefined, body: Buffer): Malformed | undefined {
  if (body.length === 0 || !contentType || !JSON_TYPE.test(contentType)) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return invalidJson(5, 'Malformed UTF-8 characters, possibly incorrectly encoded');
  }
  try {
    JSON.parse(text);
  } catch {
    return invalidJson(4, 'Syntax error');
  }
  return undefined;
}

function invalidJson(code: number, message: string): Malformed {
  return {
    status: 400,
    code: 'rest_invalid_json',
    message: 'Invalid JSON body passed.',
    data: { json_error_code: code, json_error_message: message },
    location: 'request.body',
  };
}

export interface FrontHandlers {
  /** A request with a well-formed target and body (`body` fully read, within the limits). */
  forward(req: IncomingMessage, res: ServerResponse, body: Buffer): void | Promise<void>;
  /** A request Prism cannot take: the mock answers the 400, the proxy passes it to the store unchecked. */
  malformed(
    req: IncomingMessage,
    res: ServerResponse,
    problem: Malformed,
    body: Buffer,
  ): void | Promise<void>;
}

/** Reads the body within the limits; answers 413 or 408 itself (and closes the connection) and returns undefined. */
function readBody(
  req: IncomingMessage,
  res: ServerResponse,
  limits: FrontLimits,
): Promise<Buffer | undefined> {
  const refuse = (status: number, code: string, message: string) => {
    // Stop reading: the rest of a too-large or stalled body is not worth the bytes.
    res.setHeader('connection', 'close');
    sendError(res, status, code, message);
    res.once('finish', () => req.socket.destroySoon?.());
  };
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBodyBytes) {
    refuse(413, 'wooapi_request_too_large', tooLarge(limits));
    return Promise.resolve(undefined);
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (value: Buffer | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.removeAllListeners('data');
      resolve(value);
    };
    const timer = setTimeout(() => {
      refuse(
        408,
        'wooapi_request_timeout',
        `The request body did not arrive within ${limits.bodyTimeoutMs} ms (limits.bodyTimeoutMs); send it at once.`,
      );
      finish(undefined);
    }, limits.bodyTimeoutMs);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBodyBytes) {
        refuse(413, 'wooapi_request_too_large', tooLarge(limits));
        req.pause();
        return finish(undefined);
      }
      chunks.push(chunk);
    });
    req.once('end', () => finish(Buffer.concat(chunks, size)));
    req.once('error', () => {
      req.socket.destroy();
      finish(undefined);
    });
    req.once('aborted', () => finish(undefined));
  });
}

function tooLarge(limits: FrontLimits): string {
  return `The request body is larger than ${limits.maxBodyBytes} bytes (limits.maxBodyBytes); send less at once (a batch takes at most 100 items).`;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/** Node's parser refused the request head: answer in WooCommerce's shape, then close. */
function onClientError(limits: FrontLimits, error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable || error.code === 'ECONNRESET' || error.code === 'EPIPE') {
    socket.destroy();
    return;
  }
  let status = 400;
  let code = 'wooapi_bad_request';
  let message = `The request could not be parsed as HTTP/1.1 (${error.code ?? error.message}).`;
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    status = 431;
    code = 'wooapi_headers_too_large';
    message = `The request line and headers are larger than ${limits.maxHeaderBytes} bytes (limits.maxHeaderBytes).`;
  } else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = 408;
    code = 'wooapi_request_timeout';
    message = `The request headers did not arrive within ${limits.headersTimeoutMs} ms (limits.headersTimeoutMs).`;
  }
  const body = JSON.stringify({ code, message, data: { status } });
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status]}\r\ncontent-type: application/json; charset=UTF-8\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
  socket.destroySoon?.();
}

/** A front server with the limits applied; `listen` it yourself. */
export function createFrontServer(limits: FrontLimits, handlers: FrontHandlers): Server {
  const server = createServer(
    {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      // The body has its own deadline (readBody), answered in WooCommerce's shape.
      requestTimeout: 0,
      // Node checks the header deadline on this tick; its 30 s default would let a slow client hold a socket long.
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
      keepAliveTimeout: 5000,
    },
    (req, res) => {
      void (async () => {
        const problem = checkTarget(req.url ?? '');
        const body = await readBody(req, res, limits);
        if (body === undefined) return;
        const bad = problem ?? checkJsonBody(req.headers['content-type'], body);
        if (bad) await handlers.malformed(req, res, bad, body);
        else await handlers.forward(req, res, body);
      })().catch((error: Error) => {
        sendError(res, 500, 'wooapi_internal_error', `The mock's front server failed: ${error.message}`);
      });
    },
  );
  server.maxConnections = limits.maxConnections;
  server.on('clientError', (error, socket) => onClientError(limits, error, socket as Socket));
  return server;
}
