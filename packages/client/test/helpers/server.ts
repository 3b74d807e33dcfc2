import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

export type Handler = (req: IncomingMessage & { body: string }, res: ServerResponse, n: number) => unknown;

export interface TestServer {
  /** `http://127.0.0.1:PORT` (the store root). */
  url: string;
  requests: Recorded[];
  /** Requests being served right now, and the most seen at once. */
  inFlight: () => number;
  maxInFlight: () => number;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 whose answers a test scripts, request by request. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: Recorded[] = [];
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer(async (req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body,
      at: Date.now(),
    });
    try {
      await handler(Object.assign(req, { body }), res, requests.length);
    } catch (e) {
      if (!res.headersSent) res.writeHead(599);
      res.end(String(e));
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    inFlight: () => inFlight,
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  res.end(text);
}

export function wooError(res: ServerResponse, status: number, code: string, message: string): void {
  json(res, status, { code, message, data: { status } });
}

/** A sleep that records what it was asked to wait and waits only 1 ms, so backoff tests are fast and exact. */
export function recordingSleep() {
  const waits: number[] = [];
  const sleep = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      waits.push(ms);
      if (signal.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(t);
        reject(signal.reason);
      };
      const t = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, 1);
      signal.addEventListener('abort', onAbort);
    });
  return { waits, sleep };
}
