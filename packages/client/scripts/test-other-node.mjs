// `pnpm --filter @wooapi/client test:node 22 24`: the client's test suite on other Node majors (the direct path relies
// on what each Node bundles: its fetch, its undici and its global dispatcher; see docs/decisions/client-transport.md).
// The binaries are the official builds npm publishes as `node-<platform>-<arch>` (the `node` package's own
// platform packages), fetched from the npm registry once into node_modules/.cache; nothing else is downloaded.
// Not part of CI (CI runs Node 20): run it before changing src/dispatch.node.ts.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const majors = process.argv.slice(2);
if (!majors.length || majors.some((m) => !/^\d+$/.test(m))) {
  console.error('usage: node scripts/test-other-node.mjs <major> [<major> ...]   e.g. 22 24');
  process.exit(2);
}
const platform = `node-${process.platform}-${process.arch}`;
const cache = join(pkg, 'node_modules', '.cache', 'other-node');
let failed = 0;
for (const major of majors) {
  const dir = join(cache, major);
  const bin = join(dir, 'package', 'bin', 'node');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    console.log(`fetching ${platform}@${major} from the npm registry...`);
    execFileSync('npm', ['pack', `${platform}@${major}`, '--silent'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error(`npm pack ${platform}@${major} gave no tarball in ${dir}`);
    execFileSync('tar', ['xzf', tgz], { cwd: dir });
  }
  const version = execFileSync(bin, ['-p', 'process.version + " (undici " + process.versions.undici + ")"'], {
    encoding: 'utf8',
  }).trim();
  console.log(`\n## Node ${version}`);
  // Under that Node: vitest itself, the client's tests (they import src, and dist for the child-process cases).
  const r = spawnSync(bin, [join(pkg, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], {
    cwd: pkg,
    stdio: 'inherit',
    env: { ...process.env, PATH: `${dirname(bin)}:${process.env.PATH}` },
  });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
