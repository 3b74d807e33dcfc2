import { type MockApi, mockApi } from './apis.js';
import { checkPort, freePort, reachable, spawnPrism, waitUntilAnswering } from './process.js';
import { bundledSpecPath, writeMountedSpec } from './spec.js';

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
  /** Receives every line Prism logs (level `warn` and up unless `verbose` is set). */
  onLog?: (line: string) => void;
  /** Prism's log level; `warn` by default, since per-request logging costs throughput. */
  verbose?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
}

export interface MockServer {
  /** The store root, as `createWooClient({ url })` takes it: `http://127.0.0.1:4010`. */
  url: string;
  /** The API root: `{url}/wp-json/wc/v3` (`{url}/wc-api/v2` for the legacy API). */
  apiUrl: string;
  port: number;
  host: string;
  /** Process id (and process group id) of the supervisor that runs Prism. */
  pid: number;
  /** Stops Prism and everything it started; safe to call twice. */
  stop(): Promise<void>;
}

export async function startMock(options: MockOptions = {}): Promise<MockServer> {
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host.length === 0)
    throw new Error(`host must be a non-empty string, got ${JSON.stringify(host)}`);
  const fixedPort = checkPort(options.port);
  const api = mockApi(options.api);
  const specFile = options.spec ?? bundledSpecPath(api.bundle);
  const attempts = fixedPort === undefined ? 3 : 1;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = fixedPort ?? (await freePort(host));
    // One copy per attempt: the supervisor of a failed attempt removes its own copy when Prism exits.
    const mounted = await writeMountedSpec(specFile, api.prefix);
    const args = [
      'mock',
      mounted.file,
      '--host',
      host,
      '--port',
      String(port),
      '--verboseLevel',
      options.verbose ?? 'warn',
    ];
    if (options.dynamic) args.push('--dynamic');
    if (options.errors) args.push('--errors');
    if (options.seed !== undefined) args.push('--seed', options.seed);
    const proc = spawnPrism({ args, onLine: options.onLog, cleanupDir: mounted.dir });
    const url = `http://${reachable(host)}:${port}`;
    try {
      await waitUntilAnswering(`${url}/`, proc, options.timeoutMs ?? 60_000);
    } catch (error) {
      await proc.stop();
      await mounted.cleanup();
      lastError = error;
      // A free port can be taken between our probe and Prism's listen: try another one.
      if (fixedPort === undefined && /EADDRINUSE/.test(proc.output())) continue;
      break;
    }
    let stopping: Promise<void> | undefined;
    return {
      url,
      apiUrl: `${url}${api.prefix}`,
      port,
      host,
      pid: proc.pid,
      stop() {
        stopping ??= proc.stop().then(() => mounted.cleanup());
        return stopping;
      },
    };
  }
  throw lastError;
}
