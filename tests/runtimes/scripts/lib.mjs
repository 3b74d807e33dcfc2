// What the runtime check runs on: the runtimes (official binaries that npm publishes, fetched once into
// node_modules/.cache/runtimes, nothing else downloaded), and the packages as published (staged next to the check).
import { execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(pkgDir, '../..');
export const cacheDir = join(pkgDir, 'node_modules', '.cache', 'runtimes');
export const stageDir = join(cacheDir, 'stage');
/** ../shared beside the repo (the reference recordings); WOOAPI_SHARED overrides it. */
export const sharedDir = process.env.WOOAPI_SHARED ?? resolve(repoRoot, '../shared');

/**
 * The runtimes, pinned (a new version is a deliberate change here): the npm package of each official Linux x64
 * build, and the binary's path inside it.
 */
export const RUNTIMES = {
  bun: { pkg: '@oven/bun-linux-x64', version: '1.4.5', bin: 'package/bin/bun' },
  deno: { pkg: '@deno/linux-x64-glibc', version: '2.9.6', bin: 'package/deno' },
  workerd: { pkg: '@cloudflare/workerd-linux-64', version: '1.20261117.1', bin: 'package/bin/workerd' },
};

const dirOf = (name) => join(cacheDir, `${name}-${RUNTIMES[name].version}`);

/** The runtime's binary if it was fetched, else undefined. */
export function binary(name) {
  const bin = join(dirOf(name), RUNTIMES[name].bin);
  return existsSync(bin) ? bin : undefined;
}

/** Fetch the runtime from the npm registry (`npm pack`, then extract) unless it is in the cache; its binary. */
export function fetchRuntime(name) {
  const have = binary(name);
  if (have) return have;
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error(
      `the runtime check fetches Linux x64 builds; this is ${process.platform}-${process.arch}`,
    );
  const { pkg, version } = RUNTIMES[name];
  const dir = dirOf(name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('npm', ['pack', `${pkg}@${version}`, '--silent'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error(`npm pack ${pkg}@${version} gave no tarball in ${dir}`);
  execFileSync('tar', ['xzf', tgz], { cwd: dir });
  rmSync(join(dir, tgz));
  const bin = binary(name);
  if (!bin) throw new Error(`${pkg}@${version} has no ${RUNTIMES[name].bin}`);
  return bin;
}

/**
 * Stage the check with the packages as they would be installed from the registry: each package's package.json and
 * the files its `files` lists (dist, README), copied (not linked: a link leads back into the workspace, where Bun
 * would read the package's tsconfig.json `paths` and load src/*.ts instead of dist); their runtime dependency
 * (openapi-fetch) and the check's oracle (oauth-1.0a) linked from the workspace's install.
 */
export function stage() {
  rmSync(stageDir, { recursive: true, force: true });
  const modules = join(stageDir, 'node_modules');
  for (const name of ['client', 'webhooks']) {
    const from = join(repoRoot, 'packages', name);
    const to = join(modules, '@wooapi', name);
    const manifest = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8'));
    if (!existsSync(join(from, 'dist')))
      throw new Error(`packages/${name}/dist is missing: run the build first`);
    mkdirSync(to, { recursive: true });
    cpSync(join(from, 'package.json'), join(to, 'package.json'));
    for (const f of manifest.files) cpSync(join(from, f), join(to, f), { recursive: true });
  }
  const req = createRequire(join(repoRoot, 'packages', 'client', 'package.json'));
  const link = (name, dir) => {
    mkdirSync(dirname(join(modules, name)), { recursive: true });
    symlinkSync(dir, join(modules, name), 'dir');
  };
  link('openapi-fetch', dirname(req.resolve('openapi-fetch/package.json')));
  link('oauth-1.0a', dirname(createRequire(join(pkgDir, 'package.json')).resolve('oauth-1.0a/package.json')));
  for (const d of ['check', 'workerd']) cpSync(join(pkgDir, d), join(stageDir, d), { recursive: true });
  writeFileSync(
    join(stageDir, 'package.json'),
    `${JSON.stringify({ private: true, type: 'module' }, null, 2)}\n`,
  );
  return stageDir;
}

/** How each runtime runs the check script. */
export function command(name, bin) {
  if (name === 'node') return [bin ?? process.execPath, ['check.mjs']];
  if (name === 'bun') return [bin, ['check.mjs']];
  if (name === 'deno') return [bin, ['run', '--allow-all', '--quiet', 'check.mjs']];
  throw new Error(`no check command for ${name}`);
}

/** Run the staged check under a runtime: its exit code, its output, and the RESULT it printed (or undefined). */
export function runCheck(name, bin, { timeoutMs = 180_000 } = {}) {
  const [cmd, args] = command(name, bin);
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, {
      cwd: join(stageDir, 'check'),
      env: { ...process.env, WOOAPI_SHARED_DEFAULT: sharedDir, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      resolvePromise({
        code,
        signal,
        stdout: out,
        stderr: err,
        result: line ? JSON.parse(line.slice('RESULT '.length)) : undefined,
      });
    });
  });
}

/**
 * The cases whose outcome differs from Node's (those marked perRuntime are expected to differ). `common`: only the
 * cases both ran (workerd runs the client cases, and its own webhook cases over HTTP).
 */
export function differences(node, other, { common = false } = {}) {
  const diff = [];
  for (const [name, r] of Object.entries(node.results)) {
    if (r.perRuntime) continue;
    const o = other.results[name];
    if (!o && common) continue;
    if (!o) diff.push(`${name}: not run`);
    else if (JSON.stringify(o.outcome) !== JSON.stringify(r.outcome))
      diff.push(`${name}: ${JSON.stringify(o.outcome)} where Node gave ${JSON.stringify(r.outcome)}`);
  }
  return diff;
}
