#!/usr/bin/env node
// `pnpm start`: build what is needed (turbo), then serve the docs and the mock store (apps/docs/src/start.mjs)
// until Ctrl-C. The servers run as our own child, not as a turbo task under a nested pnpm: Ctrl-C then stops
// them and this script exits 0, where turbo's persistent task made pnpm report "ELIFECYCLE Command failed".
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './lib/bundle.mjs';

let child;
let interrupted = false;
const onSignal = (signal) => {
  interrupted = true;
  // The terminal sends Ctrl-C to the whole process group; forward it anyway for a signal sent to us alone.
  if (child && child.exitCode === null) child.kill(signal);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => onSignal(signal));

function run(command, args) {
  return new Promise((resolve) => {
    child = spawn(command, args, { cwd: repoRoot, stdio: 'inherit', env: process.env });
    child.on('error', (error) => {
      console.error(`start: could not run ${command}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

const turbo = join(repoRoot, 'node_modules', '.bin', 'turbo');
const built = await run(turbo, ['run', 'build']);
if (interrupted) {
  console.log('start: interrupted during the build.');
  process.exit(0);
}
if (built !== 0) {
  console.error(`start: the build failed (exit ${built}); fix it and run pnpm start again.`);
  process.exit(built);
}
const served = await run(process.execPath, [join(repoRoot, 'apps', 'docs', 'src', 'start.mjs')]);
process.exit(interrupted && served === 0 ? 0 : served);
