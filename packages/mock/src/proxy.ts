import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { checkPort, freePort, reachable, spawnPrism, waitUntilAnswering } from './process.js';
import { API_PREFIX, bundledSpecPath, writeMountedSpec } from './spec.js';

export interface ProxyOptions {
  /** The live store's root URL (`https://shop.example.com`, or with the WordPress sub-folder). */
  upstream: string;
  port?: number;
  host?: string;
  /** Another bundled OpenAPI document (JSON); defaults to @wooapi/spec/openapi.json. */
  spec?: string;
  /**
   * Validate requests too (default true): a request that breaks the spec is answered by Prism (401, 422) and
   * reported, not forwarded. false forwards every request and checks responses only.
   */
  validateRequest?: boolean;
  /** Called for every exchange that broke the spec, as it happens. */
  onViolation?: (entry: ProxyReportEntry) => void;
  timeoutMs?: number;
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
  /** Process id (and process group id) of the supervisor that runs Prism. */
  pid: number;
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

/** HEAD straight to the store (the store-root path joined to the request's), its answer passed back unfollowed. */
function forwardHead(
  upstream: URL,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
  report: ProxyReport,
) {
  const target = new URL(`${upstream.pathname.replace(/\/$/, '')}${path}`, upstream.origin);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers = { ...req.headers, host: target.host };
  const out = send(target, { method: 'HEAD', headers }, (answer) => {
    report.requests++;
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.resume();
    res.end();
  });
  out.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ code: 'wooapi_proxy_error', message: `The store did not answer: ${error.message}` }),
    );
  });
  out.end();
}

/**
 * Prism's validating proxy in front of a live store. A small front server records each exchange and reads the
 * violations Prism found from its `sl-violations` header, so the report needs no log scraping.
 */
export async function startProxy(options: ProxyOptions): Promise<ProxyServer> {
  if (!options || typeof options !== 'object') throw new Error('startProxy needs { upstream }');
  const upstream = checkUpstream(options.upstream);
  const host = options.host ?? '127.0.0.1';
  const port = checkPort(options.port);
  const mounted = await writeMountedSpec(options.spec ?? bundledSpecPath());
  const prismPort = await freePort('127.0.0.1');
  const args = [
    'proxy',
    mounted.file,
    upstream.href.replace(/\/$/, ''),
    '--host',
    '127.0.0.1',
    '--port',
    String(prismPort),
  ];
  args.push('--verboseLevel', 'warn', '--validate-request', String(options.validateRequest ?? true));
  const proc = spawnPrism({ args, cleanupDir: mounted.dir });
  try {
    await waitUntilAnswering(`http://127.0.0.1:${prismPort}/`, proc, options.timeoutMs ?? 60_000);
  } catch (error) {
    await proc.stop();
    await mounted.cleanup();
    throw error;
  }

  const report: ProxyReport = { requests: 0, failures: [] };
  const front = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    // Prism 5.16's proxy answers 500 to HEAD (it parses the empty body); a store answers HEAD on every GET route
    // (WordPress), so HEAD goes to the store as it is: status and headers back, nothing to validate without a body.
    if (req.method === 'HEAD') return forwardHead(upstream, path, req, res, report);
    const upstreamReq = httpRequest(
      { host: '127.0.0.1', port: prismPort, method: req.method, path, headers: req.headers },
      (upstreamRes) => {
        report.requests++;
        const violations = parseViolations(upstreamRes.headers['sl-violations'] as string | undefined);
        if (violations.length > 0) {
          const entry = {
            method: req.method ?? 'GET',
            path: maskPath(path),
            status: upstreamRes.statusCode ?? 0,
            violations,
          };
          report.failures.push(entry);
          options.onViolation?.(entry);
        }
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    upstreamReq.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ code: 'wooapi_proxy_error', message: `Prism did not answer: ${error.message}` }),
      );
    });
    req.pipe(upstreamReq);
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(port ?? 0, host, () => resolve());
  });
  const bound = (front.address() as AddressInfo).port;
  const url = `http://${reachable(host)}:${bound}`;
  let stopping: Promise<void> | undefined;
  return {
    url,
    apiUrl: `${url}${API_PREFIX}`,
    port: bound,
    pid: proc.pid,
    report: () => ({ requests: report.requests, failures: [...report.failures] }),
    formatReport: () => formatProxyReport(report),
    stop() {
      stopping ??= (async () => {
        front.closeAllConnections();
        await new Promise<void>((resolve) => front.close(() => resolve()));
        await proc.stop();
        await mounted.cleanup();
      })();
      return stopping;
    },
  };
}
