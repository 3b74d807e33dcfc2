// Shared by the agent tests: the bundle, the reference data, policy files in a temporary folder, and real MCP
// clients (the SDK's) talking to the real wooapi-mcp process over stdio or Streamable HTTP.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { bundlePath } from '../../../spec/test/bundle.js';

export const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Where the bundle and the shared reference folder are, and how a suite says it skipped: the spec tests' helpers.
export { bundlePath, hasShared, repoRoot, sharedDir, warnSharedMissing } from '../../../spec/test/bundle.js';
export const bin = path.join(packageDir, 'bin/wooapi-mcp.js');

// biome-ignore lint/suspicious/noExplicitAny: the bundle is untyped JSON.
export const loadBundle = (): any => JSON.parse(readFileSync(bundlePath, 'utf8'));

// Distinctive credentials: no output of any kind may ever contain them.
export const KEY = 'ck_agenttest_0123456789abcdef';
export const SECRET = 'cs_agenttest_fedcba9876543210';

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'wooapi-agent-'));
}

export function writeFile(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

export const storeEnv = (url: string): Record<string, string> => ({
  WOOCOMMERCE_URL: url,
  WOOCOMMERCE_KEY: KEY,
  WOOCOMMERCE_SECRET: SECRET,
});

/** The environment for a child process: PATH and the store, nothing of ours that could leak. */
const childEnv = (extra: Record<string, string>) => ({ PATH: process.env.PATH ?? '', ...extra });

export interface Connected {
  client: Client;
  stderr: () => string;
  close(): Promise<void>;
}

/** The SDK's client over stdio to a spawned `wooapi-mcp`. */
export async function connectStdio(args: string[], env: Record<string, string>): Promise<Connected> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bin, ...args],
    env: childEnv(env),
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const client = new Client({ name: 'agent-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => err, close: () => client.close() };
}

export interface HttpServerProcess {
  url: string;
  stderr: () => string;
  stop(): Promise<void>;
}

/** Spawns `wooapi-mcp --http --port 0` and waits for the line that names its URL. */
export async function startHttpServer(
  args: string[],
  env: Record<string, string>,
): Promise<HttpServerProcess> {
  const child = spawn(process.execPath, [bin, '--http', '--port', '0', ...args], {
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(err);
      if (m) resolve(m[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`wooapi-mcp exited ${code} before listening:\n${err}`)));
  });
  return {
    url,
    stderr: () => err,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function connectHttp(url: string, token: string | undefined): Promise<Connected> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: token ? { headers: { Authorization: `Bearer ${token}` } } : {},
  });
  const client = new Client({ name: 'agent-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => '', close: () => client.close() };
}

/** Runs `wooapi-mcp` to its exit; for the start-up refusals. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  input?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: childEnv(env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** The audit file's lines, parsed. */
// biome-ignore lint/suspicious/noExplicitAny: audit lines are JSON.
export function auditLines(file: string): any[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** Polls `check` until it holds (the audit line of a call is written before the call answers, so this is short). */
export async function eventually<T>(check: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

// ajv is CommonJS; take its default export whichever way the loader hands it over.
import * as Ajv2020Module from 'ajv/dist/2020.js';

type Ajv2020Class = typeof import('ajv/dist/2020.js').default;
// biome-ignore lint/suspicious/noExplicitAny: CJS/ESM interop
const AjvClass = ((Ajv2020Module as any).default?.default ??
  (Ajv2020Module as any).default ??
  Ajv2020Module) as Ajv2020Class;
export const newAjv = (options: ConstructorParameters<Ajv2020Class>[0] = {}) => new AjvClass(options);
