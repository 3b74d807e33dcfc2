/**
 * Runs Prism as a child and dies with it, and with the process that started us: `startMock` spawns this file in its
 * own process group, so `stop()` can kill the group, and a parent that crashes (even SIGKILL) closes our stdin,
 * which ends Prism too. Usage: node supervisor.js <parentPid> <entry.js> [...args]
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

const [parentArg, entry, ...args] = process.argv.slice(2);
const parentPid = Number(parentArg);
if (!entry || !Number.isInteger(parentPid)) {
  console.error('usage: supervisor <parentPid> <entry.js> [...args]');
  process.exit(2);
}

const child = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
let ending = false;

function end(): void {
  if (ending) return;
  ending = true;
  child.kill('SIGTERM');
  // Prism normally exits at once; do not let a stuck child outlive us.
  setTimeout(() => {
    child.kill('SIGKILL');
    process.exit(1);
  }, 3000).unref();
}

// The temp copy of the spec goes with Prism, also when the parent died before it could clean up.
const cleanupDir = process.env.WOOAPI_MOCK_CLEANUP_DIR;
child.on('exit', (code, signal) => {
  if (cleanupDir) rmSync(cleanupDir, { recursive: true, force: true });
  process.exit(code ?? (signal ? 1 : 0));
});
process.on('SIGTERM', end);
process.on('SIGINT', end);
process.on('SIGHUP', end);
process.stdin.on('end', end);
process.stdin.on('close', end);
process.stdin.on('error', end);
process.stdin.resume();

const watch = setInterval(() => {
  try {
    process.kill(parentPid, 0);
  } catch {
    end();
  }
}, 1000);
watch.unref();
