import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built client, as a child process imports it (a fresh module graph: nothing loaded or patched yet). */
export const DIST_INDEX = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

/** Run an ES module's source in a fresh Node process (this one's binary) and return what it printed. */
export const runModule = (source: string, env: NodeJS.ProcessEnv = process.env): string =>
  execFileSync(process.execPath, ['--input-type=module', '-e', source], { encoding: 'utf8', env });
