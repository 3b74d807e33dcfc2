import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const cliDir = fileURLToPath(new URL('..', import.meta.url));
export const repoRoot = resolve(cliDir, '../..');
export const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const bin = resolve(cliDir, 'bin/wooapi.js');

/** The shared reference folder: WOOAPI_SHARED, else `../shared` beside the repo. */
export const sharedDir = process.env.WOOAPI_SHARED
  ? resolve(process.env.WOOAPI_SHARED)
  : resolve(repoRoot, '../shared');
export const hasShared = existsSync(resolve(sharedDir, 'reference'));

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `wooapi` bin. */
export function wooapi(args: string[], cwd = cliDir): Promise<Result> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? 1, stdout, stderr }));
  });
}
