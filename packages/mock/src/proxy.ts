import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardToPrism, prismAgent, prismFailed, prismPort, readAll, withoutHopByHop } from './forward.js';
import { checkLimits, createFrontServer, type FrontLimits, type Malformed, sendError } from './front.js';
import { effectiveMethod, FORM_TYPE, formAsJson } from './judge.js';
import { checkPort, reachable } from './process.js';
import { type PrismRunner, type RestartEvent, startRunner } from './runner.js';
import { API_PREFIX, bundledSpecPath, mountAtStoreRoot, readSpec, withJudged501 } from './spec.js';
import {
  EXCHANGE_HEADER,
  type Exchange,
  isLoopback,
  JUDGED_501,
  LOCATION_HEADER,
  sendUpstream,
  startRelay,
  UpstreamTimeout,
} from './upstream.js';

export interface ProxyOptions {
  /** The live store's root URL (`https://shop.example.com`, or with the WordPress sub-folder). */
  upstream: string;
  port?: number;
  host?: string;
  /** Another bundled OpenAPI document (JSON); defaults to @wooapi/spec/openapi.json. */
  spec?: string;
  /**
   * Check requests too (default true): a request that breaks the spec is still forwarded to the store as sent (the
   * store's answer is what you want to see), and the exchange is reported with its `request.*` violations. false
   * checks responses only.
   */
  validateRequest?: boolean;
  /** Called for every exchange that broke the spec, as it happens. */
  onViolation?: (entry: ProxyReportEntry) => void;
  /** How long to wait for Prism to start, in ms (default 60 000). */
  timeoutMs?: number;
  /** How long the store may take to answer one request, in ms (default 60 000): then 502 `wooapi_proxy_timeout`. */
  upstreamTimeoutMs?: number;
  /** Bounds on what one request may take (as `startMock`'s). */
  limits?: Partial<FrontLimits>;
  /** Called when Prism died on its own and was started again. */
  onRestart?: (event: RestartEvent) => void;
}

export interface Violation {
  /** Where: `request.body.name`, `response.body.0.price`, `response.header.x-wp-total`, ... */
  location: string;
  severity: string;
  code: string;
  message: string;
}

export interface ProxyReportEntry {
  method: string;
  /** Path and query as requested, credentials in the query masked. */
  path: string;
  status: number;
  violations: Violation[];
}

export interface ProxyReport {
  requests: number;
  /** The exchanges that broke the spec, in order. */
  failures: ProxyReportEntry[];
}

export interface ProxyServer {
  url: string;
  apiUrl: string;
  port: number;
  /** Process id (and process group id) of the supervisor that runs Prism (a new one after a restart). */
  readonly pid: number;
  /** How often Prism died and was started again. */
  readonly restarts: number;
  report(): ProxyReport;
  /** The report as readable text: one block per exchange that broke the spec. */
  formatReport(): string;
  stop(): Promise<void>;
}

const SECRET_PARAMS =
  /^(consumer_key|consumer_secret|oauth_signature|oauth_consumer_key|oauth_nonce|password|token)$/i;

/** The path and query to show in a report, without credentials. */
export function maskPath(rawUrl: string): string {
  const url = new URL(rawUrl, 'http://x');
  for (const key of [...url.searchParams.keys()])
    if (SECRET_PARAMS.test(key)) url.searchParams.set(key, '***');
  const query = url.searchParams.toString();
  return `${url.pathname}${query ? `?${query.replaceAll('%2A', '*')}` : ''}`;
}

/** Parses Prism's `sl-violations` response header (a JSON array, possibly cut with "Too many violations!"). */
export function parseViolations(header: string | undefined): Violation[] {
  if (!header) return [];
  const truncated = header.startsWith('Too many violations!');
  const text = truncated ? header.slice('Too many violations! '.length) : header;
  try {
    const raw = JSON.parse(text) as Array<{
      location?: unknown[];
      severity?: string;
      code?: unknown;
      message?: string;
    }>;
    return raw.map((v) => ({
      location: (v.location ?? []).join('.'),
      severity: v.severity ?? 'Error',
      code: String(v.code ?? ''),
      message: v.message ?? '',
    }));
  } catch {
    return [
      {
        location: 'response',
        severity: 'Error',
        code: 'truncated',
        message: `Too many violations to list: ${text.slice(0, 300)}...`,
      },
    ];
  }
}

export function formatProxyReport(report: ProxyReport): string {
  if (report.failures.length === 0) return `${report.requests} request(s) checked: all matched the spec.`;
  const blocks = report.failures.map((f) => {
    const lines = f.violations.map(
      (v) => `  - [${v.severity}] ${v.location || '(whole)'}: ${v.message}${v.code ? ` (${v.code})` : ''}`,
    );
    return `${f.method} ${f.path} -> ${f.status}\n${lines.join('\n')}`;
  });
  return `${report.failures.length} of ${report.requests} request(s) broke the spec:\n\n${blocks.join('\n\n')}`;
}

function checkUpstream(upstream: unknown): URL {
  if (typeof upstream !== 'string' || upstream.length === 0) {
    throw new Error('startProxy needs { upstream }: the store root URL, e.g. https://shop.example.com');
  }
  let url: URL;
  try {
    url = new URL(upstream);
  } catch {
    throw new Error(
      `upstream is not a URL: ${JSON.stringify(upstream)} (expected e.g. https://shop.example.com)`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`upstream must be http(s), got ${url.protocol}`);
  if (url.username || url.password)
    throw new Error('upstream must not carry credentials; send them with each request');
  // The spec's paths include /wp-json/wc/v3 already (mounted at the store root).
  if (url.pathname.replace(/\/$/, '').endsWith(API_PREFIX)) {
    throw new Error(`upstream is the store root, without ${API_PREFIX}: got ${url.origin}${url.pathname}`);
  }
  return url;
}

/** Reusable credentials a request carries in the clear (OAuth 1.0a signatures are not reusable). */
function plainCredentials(req: IncomingMessage): string | undefined {
  if (/^\s*basic\s/i.test(req.headers.authorization ?? '')) return 'a Basic Authorization header';
  const query = new URL(req.url ?? '/', 'http://x').searchParams;
  if (query.has('consumer_secret')) return 'consumer_secret in the query';
  return undefined;
}

/** The redirect target to show in a report: credentials in its query masked. */
function maskLocation(location: string, base: URL): string {
  try {
    const url = new URL(location, base);
    return `${url.origin}${maskPath(url.href)}`;
  } catch {
    return '(an invalid Location)';
  }
}

/**
 * Prism's validating proxy in front of a live store. A small front server bounds every request and records each
 * exchange, reading the violations Prism found from its `sl-violations` header (no log scraping); Prism reaches the
 * store only through a relay that never follows a redirect.
 */
export async function startProxy(options: ProxyOptions): Promise<ProxyServer> {
  if (!options || typeof options !== 'object') throw new Error('startProxy needs { upstream }');
  const upstream = checkUpstream(options.upstream);
  const host = options.host ?? '127.0.0.1';
  const port = checkPort(options.port);
  const limits = checkLimits(options.limits);
  const startTimeoutMs = options.timeoutMs ?? 60_000;
  const upstreamTimeoutMs = options.upstreamTimeoutMs ?? 60_000;
  const specFile = options.spec ?? bundledSpecPath();
  const storeBase = upstream.pathname.replace(/\/$/, '');
  const insecure = upstream.protocol === 'http:' && !isLoopback(upstream.hostname);
  const report: ProxyReport = { requests: 0, failures: [] };
  const record = (entry: ProxyReportEntry) => {
    report.failures.push(entry);
    options.onViolation?.(entry);
  };
  const agent = prismAgent();
  let runner: PrismRunner | undefined;
  const exchanges = new Map<string, Exchange>();
  // The mounted document (method aliases as operations), for typing form bodies as the route's schema does.
  const mounted = readSpec(specFile).then((doc) => mountAtStoreRoot(doc));
  mounted.catch(() => undefined);
  const redirectViolation = (status: number, location: string): Violation => ({
    location: 'response.header.location',
    severity: 'Error',
    code: 'redirect',
    message:
      `The store answered ${status} redirecting to ${maskLocation(location, upstream)}; the proxy does not ` +
      'follow redirects (credentials would go along): use the final URL as upstream.',
  });

  /** Straight to the store, not through Prism: HEAD (Prism 5.16 answers it 500) and what Prism cannot parse. */
  const direct = async (req: IncomingMessage, res: ServerResponse, body: Buffer, problem?: Malformed) => {
    let answer: IncomingMessage;
    try {
      answer = await sendUpstream(
        upstream,
        req.method ?? 'GET',
        `${storeBase}${req.url ?? '/'}`,
        req.headers,
        body,
        upstreamTimeoutMs,
      );
    } catch (error) {
      const timeout = error instanceof UpstreamTimeout;
      return sendError(
        res,
        502,
        timeout ? 'wooapi_proxy_timeout' : 'wooapi_proxy_error',
        `The store did not answer: ${(error as Error).message}`,
      );
    }
    report.requests++;
    if (problem) {
      record({
        method: req.method ?? 'GET',
        path: maskPath(req.url ?? '/'),
        status: answer.statusCode ?? 0,
        violations: [
          {
            location: problem.location,
            severity: 'Error',
            code: problem.code,
            message: `${problem.message} Prism cannot check such a request: it went to the store unchecked.`,
          },
        ],
      });
    }
    res.writeHead(answer.statusCode ?? 502, withoutHopByHop(answer.headers));
    if (req.method === 'HEAD') {
      answer.resume();
      res.end();
    } else answer.pipe(res);
  };

  /** Refuses (400, reported, not sent) reusable credentials bound for a plain-http store that is not loopback. */
  const refuseInsecure = (req: IncomingMessage, res: ServerResponse): boolean => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const carried = insecure ? plainCredentials(req) : undefined;
    if (carried) {
      const message =
        `Refusing to forward ${carried} over plain http to ${upstream.host}: anyone on the way can read it. ` +
        'Use an https upstream, or OAuth 1.0a (the client signs over http by default).';
      record({
        method,
        path: maskPath(path),
        status: 400,
        violations: [
          {
            location: 'request.header.authorization',
            severity: 'Error',
            code: 'wooapi_insecure_credentials',
            message,
          },
        ],
      });
      sendError(res, 400, 'wooapi_insecure_credentials', message);
      return true;
    }
    return false;
  };

  const front = createFrontServer(limits, {
    malformed(req, res, problem, body) {
      if (refuseInsecure(req, res)) return;
      return direct(req, res, body, problem);
    },
    async forward(req, res, body) {
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      if (refuseInsecure(req, res)) return;
      // WordPress runs a POST with `_method` / X-HTTP-Method-Override as the method it names: Prism judges that one.
      const judgedMethod = effectiveMethod(method, path, req.headers);
      // WordPress answers HEAD on every GET route; with no body there is nothing for Prism to validate (see direct).
      if (method === 'HEAD' || judgedMethod === 'HEAD') return direct(req, res, body);
      const prism = await prismPort(runner!, res, startTimeoutMs);
      if (prism === undefined) return;
      // The store gets what the client sent, byte for byte (the relay reads it from the exchange); Prism judges the
      // request WordPress runs: the named method, a form body as the JSON it decodes to.
      const id = randomUUID();
      const query = new URL(path, 'http://x').searchParams;
      const exchange: Exchange = {
        method,
        path: `${storeBase}${path}`,
        headers: req.headers,
        body,
        envelope: query.has('_envelope'),
      };
      exchanges.set(id, exchange);
      const judgedHeaders: IncomingHttpHeaders = { ...req.headers, [EXCHANGE_HEADER]: id };
      let judgedBody = body;
      if (judgedMethod === 'GET') {
        judgedBody = Buffer.alloc(0);
        delete judgedHeaders['content-length'];
        delete judgedHeaders['transfer-encoding'];
      } else if (body.length > 0 && FORM_TYPE.test(req.headers['content-type'] ?? '')) {
        judgedBody = formAsJson(await mounted, judgedMethod, new URL(path, 'http://x').pathname, body);
        judgedHeaders['content-type'] = 'application/json';
      }
      if (judgedBody.length === 0) delete judgedHeaders['content-type'];
      let answer: IncomingMessage;
      try {
        answer = await forwardToPrism(
          agent,
          prism,
          req,
          res,
          judgedBody,
          Math.max(limits.answerTimeoutMs, upstreamTimeoutMs + 1000),
          judgedMethod,
          judgedHeaders,
        );
      } catch (error) {
        exchanges.delete(id);
        return prismFailed(runner!, res, error as Error, limits);
      }
      report.requests++;
      const violations = parseViolations(answer.headers['sl-violations'] as string | undefined);
      const stored = exchange.answer;
      if (stored) {
        // The store's own answer, as it sent it: status, headers, body bytes (Prism's copy was only judged).
        await readAll(answer).catch(() => undefined);
        exchanges.delete(id);
        const headers = withoutHopByHop(stored.headers);
        const sl = answer.headers['sl-violations'];
        if (sl !== undefined) headers['sl-violations'] = sl;
        else delete headers['sl-violations'];
        if (stored.status >= 300 && stored.status < 400 && typeof stored.headers.location === 'string')
          violations.push(redirectViolation(stored.status, stored.headers.location));
        for (const v of violations) v.message = v.message.replaceAll(String(JUDGED_501), '501');
        if (violations.length > 0)
          record({ method, path: maskPath(path), status: stored.status, violations });
        headers['content-length'] = String(stored.body.length);
        res.writeHead(stored.status, headers);
        res.end(stored.body);
        return;
      }
      // Prism answered without the store (it could not forward): its answer, as before.
      exchanges.delete(id);
      const headers = withoutHopByHop(answer.headers);
      const location = headers[LOCATION_HEADER];
      if (typeof location === 'string') {
        delete headers[LOCATION_HEADER];
        headers.location = location;
        violations.push(redirectViolation(answer.statusCode ?? 0, location));
      }
      if (violations.length > 0)
        record({ method, path: maskPath(path), status: answer.statusCode ?? 0, violations });
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
    },
  });

  const relay = await startRelay(upstream, upstreamTimeoutMs, exchanges);
  try {
    runner = await startRunner({
      specFile,
      timeoutMs: startTimeoutMs,
      onRestart: options.onRestart,
      transform: (doc) => withJudged501(doc, JUDGED_501),
      args: (file, prismPort) => [
        'proxy',
        file,
        `http://127.0.0.1:${relay.port}${storeBase}`,
        '--host',
        '127.0.0.1',
        '--port',
        String(prismPort),
        '--verboseLevel',
        'warn',
        '--validate-request',
        String(options.validateRequest ?? true),
      ],
    });
    await new Promise<void>((resolve, reject) => {
      front.once('error', reject);
      front.listen(port ?? 0, host, () => {
        front.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await runner?.stop();
    await relay.close();
    agent.destroy();
    throw error;
  }
  const running = runner;
  const bound = (front.address() as AddressInfo).port;
  const url = `http://${reachable(host)}:${bound}`;
  let stopping: Promise<void> | undefined;
  return {
    url,
    apiUrl: `${url}${API_PREFIX}`,
    port: bound,
    get pid() {
      return running.pid;
    },
    get restarts() {
      return running.restarts;
    },
    report: () => ({ requests: report.requests, failures: [...report.failures] }),
    formatReport: () => formatProxyReport(report),
    stop() {
      stopping ??= (async () => {
        front.closeAllConnections();
        await new Promise<void>((resolve) => front.close(() => resolve()));
        agent.destroy();
        await running.stop();
        await relay.close();
      })();
      return stopping;
    },
  };
}
