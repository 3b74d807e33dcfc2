import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { readAll, withoutHopByHop } from './forward.js';

/** localhost, 127.x.x.x or [::1]: where credentials may travel over plain http (a development store). */
export const isLoopback = (host: string): boolean => /^(localhost|\[::1\]|127(\.\d+){3})$/.test(host);

/**
 * The proxy's one way to the store. Prism 5.16 forwards with node-fetch, which follows redirects (with the
 * client's Basic header to a host it deems the same, with query keys to any): so Prism never talks to the store
 * itself but to a relay on 127.0.0.1, which sends each request to the configured store only and never follows a
 * redirect. A redirect's `Location` travels back to the front server as `x-wooapi-upstream-location`, so that
 * node-fetch sees nothing to follow; the front server restores it for the client.
 */
export const LOCATION_HEADER = 'x-wooapi-upstream-location';

export class UpstreamTimeout extends Error {}

/** The proxy's own header (EXCHANGE_HEADER) never reaches the store, whoever set it. */
function withoutExchange(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  delete headers[EXCHANGE_HEADER];
  return headers;
}

/** One request to the store at `upstream`'s origin, `path` as given (the store's sub-folder included). */
export function sendUpstream(
  upstream: URL,
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  body: Buffer | IncomingMessage,
  timeoutMs: number,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = upstream.protocol === 'https:' ? httpsRequest : httpRequest;
    const out = send(
      {
        protocol: upstream.protocol,
        hostname: upstream.hostname.replace(/^\[|\]$/g, ''),
        port: upstream.port || undefined,
        method,
        path,
        headers: withoutExchange({ ...withoutHopByHop(headers), host: upstream.host }),
      },
      (answer) => {
        clearTimeout(timer);
        resolve(answer);
      },
    );
    const timer = setTimeout(
      () => out.destroy(new UpstreamTimeout(`the store did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    out.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    if (Buffer.isBuffer(body)) out.end(body);
    else body.pipe(out);
  });
}

export interface Relay {
  port: number;
  close(): Promise<void>;
}

/**
 * The header the front server puts on the request it sends Prism, naming the exchange it registered: Prism passes it
 * on to the relay, which sends the store the request the client sent (method, path, headers, body bytes) and keeps
 * the store's answer for the front server. Never sent to the store.
 */
export const EXCHANGE_HEADER = 'x-wooapi-exchange';

/**
 * Prism 5.16 takes an upstream 501 for "not implemented upstream" and answers a mocked example instead, so the relay
 * hands Prism a store's 501 under this status, which the proxy's copy of the spec declares wherever the spec declares
 * a 501 (the same response): Prism validates it as the 501 it is, and the front server sends the client the 501.
 */
export const JUDGED_501 = 599;

/** One request through the proxy: what the client sent, and the store's answer once the relay has it. */
export interface Exchange {
  method: string;
  /** Path and query as sent to the store (the store's sub-folder included). */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** `?_envelope`: WordPress wraps the answer in `{ body, status, headers }` under HTTP 200. */
  envelope: boolean;
  answer?: { status: number; headers: IncomingHttpHeaders; body: Buffer };
}

/** Largest store answer the relay keeps (Prism buffered and parsed every answer before too). */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

function decoded(headers: IncomingHttpHeaders, body: Buffer): Buffer | undefined {
  const encoding = String(headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  try {
    if (encoding === 'identity' || encoding === '') return body;
    if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(body);
    if (encoding === 'deflate') return inflateSync(body);
    if (encoding === 'br') return brotliDecompressSync(body);
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * What Prism is to judge for a store answer: the answer itself, except that a 501 travels as JUDGED_501 and an
 * `_envelope` answer is unwrapped to the response it wraps (its inner status, headers and body).
 */
export function judgedAnswer(
  exchange: Pick<Exchange, 'envelope'>,
  answer: { status: number; headers: IncomingHttpHeaders; body: Buffer },
): { status: number; headers: IncomingHttpHeaders; body: Buffer } {
  let { status, headers, body } = answer;
  if (exchange.envelope && status === 200) {
    const text = decoded(headers, body);
    let wrapper: { body?: unknown; status?: unknown; headers?: unknown } | undefined;
    try {
      wrapper = text ? JSON.parse(text.toString('utf8')) : undefined;
    } catch {
      wrapper = undefined;
    }
    if (
      wrapper &&
      typeof wrapper === 'object' &&
      typeof wrapper.status === 'number' &&
      Number.isInteger(wrapper.status) &&
      'body' in wrapper
    ) {
      const inner: IncomingHttpHeaders = {};
      if (wrapper.headers && typeof wrapper.headers === 'object')
        for (const [name, value] of Object.entries(wrapper.headers as Record<string, unknown>))
          inner[name.toLowerCase()] = Array.isArray(value) ? value.map(String).join(', ') : String(value);
      inner['content-type'] = 'application/json; charset=UTF-8';
      status = wrapper.status;
      headers = inner;
      body = Buffer.from(JSON.stringify(wrapper.body));
    }
  }
  if (status === 501) status = JUDGED_501;
  return { status, headers, body };
}

/**
 * The relay Prism's proxy forwards to; it passes every request to the store, and every answer back unfollowed. A
 * request that names a registered exchange goes to the store as the client sent it, and the store's answer is kept
 * on the exchange for the front server, which sends the client those bytes; Prism gets the answer to judge.
 */
export async function startRelay(
  upstream: URL,
  timeoutMs: number,
  exchanges: Map<string, Exchange> = new Map(),
): Promise<Relay> {
  const server: Server = createServer((req, res) => {
    const id = req.headers[EXCHANGE_HEADER];
    const exchange = typeof id === 'string' ? exchanges.get(id) : undefined;
    const headers = { ...req.headers };
    delete headers[EXCHANGE_HEADER];
    if (exchange) req.resume();
    const sent = exchange
      ? sendUpstream(upstream, exchange.method, exchange.path, exchange.headers, exchange.body, timeoutMs)
      : sendUpstream(upstream, req.method ?? 'GET', req.url ?? '/', headers, req, timeoutMs);
    sent
      .then(async (answer) => {
        let status = answer.statusCode ?? 502;
        let out = withoutHopByHop(answer.headers);
        let body: Buffer | undefined;
        if (exchange) {
          // The whole answer within the same bound as its head: a store that stalls mid-body is a store that did not answer.
          const stall = setTimeout(
            () =>
              answer.destroy(new UpstreamTimeout(`the store did not send its answer within ${timeoutMs} ms`)),
            timeoutMs,
          );
          const bytes = await readAll(answer, MAX_ANSWER_BYTES).finally(() => clearTimeout(stall));
          exchange.answer = { status, headers: answer.headers, body: bytes };
          const judged = judgedAnswer(exchange, { status, headers: out, body: bytes });
          status = judged.status;
          out = withoutHopByHop(judged.headers);
          body = judged.body;
          out['content-length'] = String(body.length);
          // Unwrapped (or decoded) bytes carry no encoding of their own.
          if (judged.body !== bytes) delete out['content-encoding'];
        }
        // Only the relay sets this header: one the store sent is dropped.
        delete out[LOCATION_HEADER];
        const location = out.location;
        if (location !== undefined) {
          delete out.location;
          out[LOCATION_HEADER] = location;
        }
        res.writeHead(status, out);
        if (body) res.end(body);
        else answer.pipe(res);
      })
      .catch((error: Error) => {
        // Prism turns a failed forward into its own 500; the front server reads this code to say what happened.
        const body = JSON.stringify({
          code: error instanceof UpstreamTimeout ? 'wooapi_proxy_timeout' : 'wooapi_proxy_error',
          message: `The store at ${upstream.origin} did not answer: ${error.message}`,
          data: { status: 502 },
        });
        if (!res.headersSent)
          res.writeHead(502, {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          });
        res.end(body);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
