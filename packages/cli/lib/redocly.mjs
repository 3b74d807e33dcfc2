#!/usr/bin/env node
// Runs the Redocly CLI (the project's linter and bundler) with its "Node.js 20 is end-of-life" banner removed:
// Redocly 2.x prints that box on every start under Node 20, three times per build, and it says nothing about our
// document. Everything else Redocly prints passes through unchanged, and its exit code is ours.
// Used by @wooapi/spec's build (`node ../packages/cli/lib/redocly.mjs lint ...`) and by `wooapi generate`.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The Redocly CLI's entry script, from this package's dependencies. */
export function redoclyBin() {
  // @redocly/cli has no `exports`: its package.json resolves directly.
  return join(dirname(require.resolve('@redocly/cli/package.json')), 'bin', 'cli.js');
}

/** A line filter that drops Redocly's Node-version banner box (the lines from `╔` to `╚` that name Node.js 20). */
export function bannerFilter() {
  let box = null;
  return (line) => {
    if (box) {
      box.push(line);
      if (!line.includes('╚')) return [];
      const lines = box;
      box = null;
      return lines.some((l) => /Node\.js 20|end-of-life/.test(l)) ? [] : lines;
    }
    if (line.includes('╔')) {
      box = [line];
      return [];
    }
    return [line];
  };
}

function pipeFiltered(stream, write) {
  const filter = bannerFilter();
  let rest = '';
  let blankAfterBanner = false;
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    rest += chunk;
    const lines = rest.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      const out = filter(line);
      // The banner is followed by one empty line of its own.
      if (line.includes('╚') && out.length === 0) blankAfterBanner = true;
      else if (blankAfterBanner && line.trim() === '') blankAfterBanner = false;
      else {
        blankAfterBanner = false;
        for (const l of out) write(`${l}\n`);
      }
    }
  });
  stream.on('end', () => {
    if (rest) for (const l of filter(rest)) write(l);
  });
}

/**
 * Runs `redocly ...args`. Output is filtered and passed to `onStdout`/`onStderr` (default: this process's
 * streams); resolves to the exit code.
 */
export function runRedocly(args, { cwd = process.cwd(), onStdout, onStderr } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [redoclyBin(), ...args], {
      cwd,
      env: {
        ...process.env,
        REDOCLY_TELEMETRY: 'off',
        REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    pipeFiltered(child.stdout, onStdout ?? ((s) => process.stdout.write(s)));
    pipeFiltered(child.stderr, onStderr ?? ((s) => process.stderr.write(s)));
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise(code ?? (signal ? 1 : 0)));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await runRedocly(process.argv.slice(2));
}
