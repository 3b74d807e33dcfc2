// The release check's machinery: a copy of the repo, the local registry, commands with a clean environment.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));

/** Build outputs are copied (they are what gets published); installs, caches and reports are not. */
const SKIP = new Set(['node_modules', '.git', '.turbo', '.test-report', 'test-results', 'site']);

export function copyRepo(dest: string): void {
  cpSync(repoRoot, dest, { recursive: true, filter: (src) => !SKIP.has(basename(src)) });
}

/** The environment for child commands: ours without the npm_* / pnpm variables the test runner was given. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|pnpm_|PNPM_)/i.test(k)) env[k] = v;
  return { ...env, NO_UPDATE_NOTIFIER: '1', CI: 'true', ...extra };
}

/**
 * A folder with a `pnpm` on PATH for `changeset publish` (which runs `pnpm publish` by name): the pnpm that runs
 * this test when there is one (`npm_execpath`), else `npx -y pnpm@10`, as the README says.
 */
export function pnpmShim(dir: string): { dir: string; pnpm: string[] } {
  mkdirSync(dir, { recursive: true });
  const execpath = process.env.npm_execpath ?? '';
  const pnpm = /pnpm(\.c?js)?$/.test(execpath) ? [process.execPath, execpath] : ['npx', '-y', 'pnpm@10'];
  const file = join(dir, 'pnpm');
  writeFileSync(file, `#!/bin/sh\nexec ${pnpm.map((p) => `'${p}'`).join(' ')} "$@"\n`);
  chmodSync(file, 0o755);
  return { dir, pnpm };
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(
  cmd: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: options.cwd,
      env: options.env ?? cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

export function expectOk(r: Run, what: string): Run {
  if (r.code !== 0)
    throw new Error(
      `${what} exited ${r.code}\n--- stdout\n${r.stdout.slice(-4000)}\n--- stderr\n${r.stderr.slice(-4000)}`,
    );
  return r;
}

export interface Registry {
  url: string;
  token: string;
  stop: () => Promise<void>;
}

/** Starts test/registry.mjs (Verdaccio on 127.0.0.1, a free port) and creates the publishing user. */
export async function startRegistry(dir: string): Promise<Registry> {
  const child: ChildProcess = spawn(process.execPath, [join(here, 'registry.mjs'), dir], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: cleanEnv(),
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{"url"'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.on('exit', (code) => reject(new Error(`the registry exited ${code} before listening: ${stderr}`)));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const res = await fetch(`${url}-/user/org.couchdb.user:release`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'release', password: 'release-check-only' }),
  });
  const body = (await res.json()) as { token?: string };
  if (!res.ok || !body.token) {
    await stop();
    throw new Error(`the registry did not create the publishing user: ${res.status} ${JSON.stringify(body)}`);
  }
  return { url, token: body.token, stop };
}

/** The README's blocks marked `<!-- release-check: NAME -->`, by NAME. */
export function readmeBlocks(): Map<string, string> {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const blocks = new Map<string, string>();
  for (const m of readme.matchAll(/<!-- release-check: (\S+) -->\n```\w*\n([\s\S]*?)\n```/g))
    blocks.set(m[1]!, `${m[2]}\n`);
  return blocks;
}
