import {
  Agent,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type ServerResponse,
} from 'node:http';
import { type FrontLimits, sendError } from './front.js';
import type { PrismRunner } from './runner.js';

// Headers about one hop (client to front, front to Prism): never passed on. `expect` too: the front server has the
// whole body already, and sends it at once.
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'expect',
];

export function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = { ...headers };
  for (const name of HOP_BY_HOP) delete out[name];
  return out;
}

/** Connections to Prism: kept alive, and bounded so that a flood queues here instead of swamping Prism. */
export function prismAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 64 });
}

export class ForwardTimeout extends Error {}

/**
 * Sends one buffered request to Prism on 127.0.0.1 and resolves with its answer (headers in, body unread). Rejects
 * with ForwardTimeout when no answer comes within `timeoutMs`, or with the socket error.
 */
export function forwardToPrism(
  agent: Agent,
  port: number,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  timeoutMs: number,
  method = req.method ?? 'GET',
  sendHeaders: IncomingHttpHeaders = req.headers,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const headers = withoutHopByHop(sendHeaders);
    if (body.length > 0 || sendHeaders['content-length'] !== undefined || sendHeaders['transfer-encoding'])
      headers['content-length'] = String(body.length);
    const out = request({ host: '127.0.0.1', port, method, path: req.url, headers, agent }, (answer) => {
      clearTimeout(timer);
      resolve(answer);
    });
    const timer = setTimeout(() => {
      out.destroy(new ForwardTimeout(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    out.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    // The client went away: stop waiting for Prism too.
    res.once('close', () => {
      if (!res.writableFinished) out.destroy();
    });
    out.end(body);
  });
}

/** Reads an answer's body, up to `max` bytes (Prism's answers are the spec's examples: small). */
export function readAll(answer: IncomingMessage, max = 64 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    answer.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) answer.destroy(new Error(`answer larger than ${max} bytes`));
      else chunks.push(chunk);
    });
    answer.once('end', () => resolve(Buffer.concat(chunks, size)));
    answer.once('error', reject);
  });
}

/** Waits for Prism (bounded), or answers 503 and returns undefined. */
export async function prismPort(
  runner: PrismRunner,
  res: ServerResponse,
  waitMs: number,
): Promise<number | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      runner.ready(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Prism was not back within ${waitMs} ms`)), waitMs);
      }),
    ]);
  } catch (error) {
    sendError(
      res,
      503,
      'wooapi_mock_unavailable',
      `Prism cannot answer: ${(error as Error).message}`,
      {},
      {
        'retry-after': '1',
      },
    );
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** The answer when Prism failed mid-request: it was restarting, it hung, or it is gone for good. */
export function prismFailed(
  runner: PrismRunner,
  res: ServerResponse,
  error: Error,
  limits: FrontLimits,
): void {
  if (error instanceof ForwardTimeout) {
    sendError(
      res,
      504,
      'wooapi_mock_timeout',
      `Prism did not answer within ${limits.answerTimeoutMs} ms (limits.answerTimeoutMs).`,
    );
  } else if (runner.failure) {
    sendError(res, 503, 'wooapi_mock_unavailable', `Prism cannot answer: ${runner.failure}`);
  } else {
    sendError(
      res,
      503,
      'wooapi_mock_restarting',
      `Prism stopped while answering (${error.message}); it is being started again: retry the request.`,
      {},
      { 'retry-after': '1' },
    );
  }
}
