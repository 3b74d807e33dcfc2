import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The Prism CLI entry point (prism-cli declares no `exports`, so its package.json resolves). */
export function prismEntry(): string {
  const pkg = require.resolve('@stoplight/prism-cli/package.json');
  return join(dirname(pkg), 'dist', 'index.js');
}

const supervisorFile = join(dirname(fileURLToPath(import.meta.url)), 'supervisor.js');

/** A free TCP port on `host`, as the OS hands it out. */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The host a client on this machine dials: a wildcard bind is reached through loopback. */
export function reachable(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export function checkPort(port: unknown, name = 'port'): number | undefined {
  if (port === undefined || port === null || port === '') return undefined;
  const n = typeof port === 'string' ? Number(port) : port;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 65535) {
    throw new Error(
      `${name} must be an integer from 0 to 65535 (0 or none picks a free port), got ${JSON.stringify(port)}`,
    );
  }
  return n === 0 ? undefined : n;
}

export interface PrismProcess {
  pid: number;
  /** The last lines Prism printed (for error messages). */
  output(): string;
  /** Resolves when the supervisor and Prism have exited. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  args: string[];
  onLine?: (line: string) => void;
  /** A directory the supervisor removes when Prism exits. */
  cleanupDir?: string;
}

/** Spawns Prism under the supervisor, in a process group of its own. */
export function spawnPrism({ args, onLine, cleanupDir }: SpawnOptions): PrismProcess {
  const child: ChildProcess = spawn(
    process.execPath,
    [supervisorFile, String(process.pid), prismEntry(), ...args],
    {
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: {
        ...process.env,
        SCARF_ANALYTICS: 'false',
        DO_NOT_TRACK: '1',
        ...(cleanupDir ? { WOOAPI_MOCK_CLEANUP_DIR: cleanupDir } : {}),
      },
    },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error('Could not start Prism (no process id).');
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      lines.push(line);
      if (lines.length > 80) lines.shift();
      onLine?.(line);
    }
  };
  // Always drain Prism's output: a full pipe would block it.
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let alive = true;
  void exited.then(() => {
    alive = false;
  });

  async function stop(): Promise<void> {
    if (alive) {
      signalGroup(pid!, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(pid!, 'SIGKILL'), 4000);
      await exited;
      clearTimeout(timer);
    }
    // Prism runs in the supervisor's group: make sure nothing of the group is left.
    for (let i = 0; i < 50 && groupAlive(pid!); i++) {
      if (i === 20) signalGroup(pid!, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 100));
    }
    child.stdin?.destroy();
  }

  return { pid, output: () => lines.join('\n'), exited, stop };
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `url` until Prism answers over HTTP, the process exits, or the time runs out. */
export async function waitUntilAnswering(url: string, proc: PrismProcess, timeoutMs: number): Promise<void> {
  let exitCode: number | null | undefined;
  void proc.exited.then((code) => {
    exitCode = code;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new Error(`Prism exited (code ${exitCode}) before it answered. Its output:\n${proc.output()}`);
    }
    try {
      // A CORS preflight is answered by Prism itself, so a proxy does not forward the probe to the live store.
      const res = await fetch(url, {
        method: 'OPTIONS',
        headers: { origin: 'http://127.0.0.1', 'access-control-request-method': 'GET' },
        signal: AbortSignal.timeout(1000),
      });
      await res.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`Prism did not answer at ${url} within ${timeoutMs} ms. Its output:\n${proc.output()}`);
}
