import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type MockApi, mockApi } from './apis.js';
import { forwardToPrism, prismAgent, prismFailed, prismPort, readAll, withoutHopByHop } from './forward.js';
import { checkLimits, createFrontServer, type FrontLimits, sendError } from './front.js';
import { findListRoute, type ListRoute, listRoutes, pageOf } from './paging.js';
import { checkPort, reachable } from './process.js';
import type { RestartEvent } from './runner.js';
import { type PrismRunner, startRunner } from './runner.js';
import { bundledSpecPath, mountAtStoreRoot, readSpec } from './spec.js';

export type { FrontLimits } from './front.js';
export type { RestartEvent } from './runner.js';

export interface MockOptions {
  /** Which API to serve: `wc-v3` (default, under /wp-json/wc/v3) or `legacy-v2` (the legacy API, under /wc-api/v2). */
  api?: MockApi;
  /** Port to listen on; a free one when omitted (or 0). */
  port?: number;
  /** Host to bind; 127.0.0.1 by default. */
  host?: string;
  /** Answer with data generated from the schemas instead of the spec's examples. */
  dynamic?: boolean;
  /** Turn response violations into errors (Prism's `--errors`). */
  errors?: boolean;
  /** Another bundled OpenAPI document (JSON) to serve; defaults to @wooapi/spec/openapi.json. */
  spec?: string;
  /** Seed for dynamic answers, for repeatable data. */
  seed?: string;
  /** How long to wait for Prism to answer, in ms (default 60 000). */
  timeoutMs?: number;
  /** Receives every line Prism logs (level `warn` and up unless `verbose` is set), and the mock's own notices. */
  onLog?: (line: string) => void;
  /** Prism's log level; `warn` by default, since per-request logging costs throughput. */
  verbose?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  /** Bounds on what one request may take: body size and time, head size and time, connections, answer time. */
  limits?: Partial<FrontLimits>;
  /** Called when Prism died on its own and was started again (or, after 5 exits in a minute, given up on). */
  onRestart?: (event: RestartEvent) => void;
  /** Restarts of Prism allowed within a minute before the mock gives up and answers 503 (default 5). */
  maxRestarts?: number;
}

export interface MockServer {
  /** The store root, as `createWooClient({ url })` takes it: `http://127.0.0.1:4010`. */
  url: string;
  /** The API root: `{url}/wp-json/wc/v3` (`{url}/wc-api/v2` for the legacy API). */
  apiUrl: string;
  port: number;
  host: string;
  /** Process id (and process group id) of the supervisor that runs Prism (a new one after a restart). */
  readonly pid: number;
  /** How often Prism died and was started again. */
  readonly restarts: number;
  /** Stops the front server, Prism and everything it started; safe to call twice. */
  stop(): Promise<void>;
}

function listen(server: ReturnType<typeof createFrontServer>, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `Cannot listen on ${host}:${port}: EADDRINUSE (address already in use); pick another port or 0`,
            )
          : error,
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: ReturnType<typeof createFrontServer>): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Answers a list request as a store does: the page the query asks for, cut from the example collection. */
async function sendPage(
  route: ListRoute,
  answer: IncomingMessage,
  req: IncomingMessage,
  res: ServerResponse,
  self: string,
): Promise<boolean> {
  const raw = await readAll(answer);
  let collection: unknown;
  try {
    collection = JSON.parse(raw.toString('utf8'));
  } catch {
    collection = undefined;
  }
  const headers = withoutHopByHop(answer.headers);
  if (!Array.isArray(collection)) {
    res.writeHead(answer.statusCode ?? 502, { ...headers, 'content-length': String(raw.length) });
    res.end(raw);
    return false;
  }
  const page = pageOf(route, collection, new URL(req.url ?? '/', self));
  const body = JSON.stringify(page.items);
  res.writeHead(200, { ...headers, ...page.headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
  return true;
}

export async function startMock(options: MockOptions = {}): Promise<MockServer> {
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host.length === 0)
    throw new Error(`host must be a non-empty string, got ${JSON.stringify(host)}`);
  const fixedPort = checkPort(options.port);
  const limits = checkLimits(options.limits);
  const startTimeoutMs = options.timeoutMs ?? 60_000;
  const { maxRestarts } = options;
  if (maxRestarts !== undefined && (!Number.isInteger(maxRestarts) || maxRestarts < 0))
    throw new Error(`maxRestarts must be an integer >= 0, got ${JSON.stringify(maxRestarts)}`);
  const api = mockApi(options.api);
  const specFile = options.spec ?? bundledSpecPath(api.bundle);
  const doc = await readSpec(specFile);
  // WordPress's paging is wc/v3's; the legacy API's lists are envelopes that Prism answers as they are.
  const routes = api.name === 'wc-v3' ? listRoutes(mountAtStoreRoot(doc, api.prefix)) : [];
  const agent = prismAgent();
  let runner: PrismRunner | undefined;
  let self = '';

  const front = createFrontServer(limits, {
    malformed(_req, res, problem) {
      sendError(res, problem.status, problem.code, problem.message, problem.data);
    },
    async forward(req, res, body) {
      // While Prism restarts, wait as long as a start may take.
      const port = await prismPort(runner!, res, startTimeoutMs);
      if (port === undefined) return;
      const head = req.method === 'HEAD';
      // A store answers HEAD by running the GET and dropping the body (WordPress): the same headers, paging included.
      const method = head ? 'GET' : (req.method ?? 'GET');
      const pathname = new URL(req.url ?? '/', 'http://x').pathname;
      const route = method === 'GET' ? findListRoute(routes, pathname) : undefined;
      let answer: IncomingMessage;
      try {
        answer = await forwardToPrism(agent, port, req, res, body, limits.answerTimeoutMs, method);
      } catch (error) {
        prismFailed(runner!, res, error as Error, limits);
        return;
      }
      if (route && answer.statusCode === 200) {
        await sendPage(route, answer, req, res, self);
        return;
      }
      res.writeHead(answer.statusCode ?? 502, withoutHopByHop(answer.headers));
      if (head) {
        answer.resume();
        res.end();
      } else answer.pipe(res);
    },
  });

  const bound = await listen(front, fixedPort ?? 0, host);
  self = `http://${reachable(host)}:${bound}`;
  try {
    runner = await startRunner({
      specFile,
      prefix: api.prefix,
      timeoutMs: startTimeoutMs,
      onLog: options.onLog,
      onRestart: options.onRestart,
      maxRestarts: options.maxRestarts,
      args(file, port) {
        const args = ['mock', file, '--host', '127.0.0.1', '--port', String(port)];
        args.push('--verboseLevel', options.verbose ?? 'warn');
        if (options.dynamic) args.push('--dynamic');
        if (options.errors) args.push('--errors');
        if (options.seed !== undefined) args.push('--seed', options.seed);
        return args;
      },
    });
  } catch (error) {
    await closeServer(front);
    agent.destroy();
    throw error;
  }
  const running = runner;
  let stopping: Promise<void> | undefined;
  return {
    url: self,
    apiUrl: `${self}${api.prefix}`,
    port: bound,
    host,
    get pid() {
      return running.pid;
    },
    get restarts() {
      return running.restarts;
    },
    stop() {
      stopping ??= (async () => {
        await closeServer(front);
        agent.destroy();
        await running.stop();
      })();
      return stopping;
    },
  };
}
