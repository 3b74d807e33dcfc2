import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { withoutHopByHop } from './forward.js';

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
        headers: { ...withoutHopByHop(headers), host: upstream.host },
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

/** The relay Prism's proxy forwards to; it passes every request to the store, and every answer back unfollowed. */
export async function startRelay(upstream: URL, timeoutMs: number): Promise<Relay> {
  const server: Server = createServer((req, res) => {
    sendUpstream(upstream, req.method ?? 'GET', req.url ?? '/', req.headers, req, timeoutMs).then(
      (answer) => {
        const headers = withoutHopByHop(answer.headers);
        // Only the relay sets this header: one the store sent is dropped.
        delete headers[LOCATION_HEADER];
        const location = headers.location;
        if (location !== undefined) {
          delete headers.location;
          headers[LOCATION_HEADER] = location;
        }
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      },
      (error: Error) => {
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
      },
    );
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
