import { freePort, type PrismProcess, spawnPrism, waitUntilAnswering } from './process.js';
import { type OpenApiDoc, writeMountedSpec } from './spec.js';

/** What `onRestart` hears when Prism died on its own and was started again. */
export interface RestartEvent {
  /** Restarts so far, this one included. */
  restarts: number;
  /** Prism's exit code (null when a signal ended it) and its last lines of output. */
  exitCode: number | null;
  output: string;
  /** True when Prism died too often (more than `maxRestarts`, 5, within a minute) and the server gave up: requests then answer 503. */
  gaveUp: boolean;
}

export interface RunnerOptions {
  /** Prism's CLI arguments for the mounted spec file and an internal port on 127.0.0.1. */
  args(specFile: string, port: number): string[];
  specFile: string;
  /** Where the spec's paths are mounted (`/wp-json/wc/v3`). */
  prefix?: string;
  /** Changes the mounted copy before Prism reads it (the proxy's judged 501). */
  transform?: (doc: OpenApiDoc) => OpenApiDoc;
  timeoutMs: number;
  onLog?: (line: string) => void;
  onRestart?: (event: RestartEvent) => void;
  /** Restarts allowed within a minute before the runner gives up (default 5). */
  maxRestarts?: number;
}

export interface PrismRunner {
  /** Resolves with Prism's internal port once it answers (at once while it is up; after a restart otherwise). */
  ready(): Promise<number>;
  /** Process (group) id of the current supervisor. */
  readonly pid: number;
  readonly restarts: number;
  /** Why requests cannot be answered, once the runner gave up. */
  readonly failure: string | undefined;
  stop(): Promise<void>;
}

const RESTART_WINDOW_MS = 60_000;

interface Running {
  proc: PrismProcess;
  port: number;
  cleanup(): Promise<void>;
}

/** Starts Prism on a free internal port (another one if that is taken meanwhile), ready when it answers. */
async function launch(options: RunnerOptions): Promise<Running> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort('127.0.0.1');
    // One copy per start: the supervisor removes its copy when Prism exits.
    const mounted = await writeMountedSpec(options.specFile, options.prefix, options.transform);
    const proc = spawnPrism({
      args: options.args(mounted.file, port),
      onLine: options.onLog,
      cleanupDir: mounted.dir,
    });
    try {
      await waitUntilAnswering(`http://127.0.0.1:${port}/`, proc, options.timeoutMs);
      return { proc, port, cleanup: mounted.cleanup };
    } catch (error) {
      await proc.stop();
      await mounted.cleanup();
      lastError = error;
      // A free port can be taken between our probe and Prism's listen: try another one.
      if (!/EADDRINUSE/.test(proc.output())) break;
    }
  }
  throw lastError;
}

/**
 * Keeps one Prism running behind a front server: when Prism dies while nobody asked it to stop (a crash the front
 * server did not foresee, an OOM kill), it is started again on a fresh port and the restart is reported. Requests
 * that arrive meanwhile wait for it.
 */
export async function startRunner(options: RunnerOptions): Promise<PrismRunner> {
  let current = await launch(options);
  let readyPromise: Promise<number> = Promise.resolve(current.port);
  let stopped = false;
  let restarts = 0;
  let failure: string | undefined;
  const recent: number[] = [];

  const watch = (running: Running) => {
    void running.proc.exited.then(async (exitCode) => {
      if (stopped) return;
      await running.cleanup();
      restarts++;
      const now = Date.now();
      recent.push(now);
      while (recent.length > 0 && recent[0]! < now - RESTART_WINDOW_MS) recent.shift();
      const output = running.proc.output().split('\n').slice(-20).join('\n');
      const gaveUp = recent.length > (options.maxRestarts ?? 5);
      options.onLog?.(
        gaveUp
          ? `wooapi-mock: Prism exited (code ${exitCode}), ${recent.length} time(s) within a minute: giving up`
          : `wooapi-mock: Prism exited (code ${exitCode}); restarting it (restart ${restarts})`,
      );
      options.onRestart?.({ restarts, exitCode, output, gaveUp });
      if (gaveUp) {
        failure = `Prism exited ${recent.length} time(s) within a minute and was not started again. Its last output:\n${output}`;
        readyPromise = Promise.reject(new Error(failure));
        readyPromise.catch(() => {});
        return;
      }
      readyPromise = launch(options).then(
        (next) => {
          if (stopped) {
            void next.proc.stop().then(next.cleanup);
            return next.port;
          }
          current = next;
          watch(next);
          return next.port;
        },
        (error: Error) => {
          failure = `Prism could not be started again: ${error.message}`;
          throw new Error(failure);
        },
      );
      readyPromise.catch(() => {});
    });
  };
  watch(current);

  return {
    ready: () => readyPromise,
    get pid() {
      return current.proc.pid;
    },
    get restarts() {
      return restarts;
    },
    get failure() {
      return failure;
    },
    async stop() {
      stopped = true;
      await readyPromise.catch(() => {});
      await current.proc.stop();
      await current.cleanup();
    },
  };
}
