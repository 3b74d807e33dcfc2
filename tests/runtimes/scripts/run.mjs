// `pnpm test:runtimes` (root) or `pnpm --filter @wooapi/runtime-tests test:runtimes [node bun deno workerd]`: the
// runtime check (check/check.mjs) under Node, Bun and Deno, and the two workerd Workers (scripts/workerd.mjs), on the
// built packages as published. Fetches each runtime once from the npm registry into node_modules/.cache/runtimes
// (the official binaries npm publishes; nothing else is downloaded), prints each runtime's cases and whether its
// outcomes are Node's, and exits 1 when a case failed or an outcome differs from Node's.
import { execFileSync } from 'node:child_process';
import { binary, differences, fetchRuntime, RUNTIMES, runCheck, stage } from './lib.mjs';
import { workerdCheck } from './workerd.mjs';

const ALL = ['node', 'bun', 'deno', 'workerd'];
const asked = process.argv.slice(2);
const unknown = asked.filter((a) => !ALL.includes(a));
if (unknown.length) {
  console.error(`unknown runtime ${unknown.join(', ')}: name some of ${ALL.join(', ')} (default: all)`);
  process.exit(2);
}
const wanted = asked.length ? asked : ALL;

const bins = {};
for (const name of wanted.filter((n) => n !== 'node')) {
  const { pkg, version } = RUNTIMES[name];
  if (binary(name)) {
    bins[name] = binary(name);
    continue;
  }
  const t = Date.now();
  process.stdout.write(`fetching ${pkg}@${version} from the npm registry... `);
  bins[name] = fetchRuntime(name);
  console.log(`${((Date.now() - t) / 1000).toFixed(1)} s`);
}
stage();

const version = (name) =>
  name === 'deno'
    ? execFileSync(bins.deno, ['--version'], { encoding: 'utf8' })
        .split('\n')[0]
        .replace(/^deno /, '')
        .split(' ')[0]
    : name === 'workerd'
      ? `${RUNTIMES.workerd.version} (${execFileSync(bins.workerd, ['--version'], { encoding: 'utf8' }).trim()})`
      : execFileSync(bins[name], ['--version'], { encoding: 'utf8' }).trim();

const results = {};
let bad = 0;
// Node first: every other runtime's outcomes are compared with its.
for (const name of ['node', ...wanted.filter((n) => n !== 'node')]) {
  const t = Date.now();
  let r;
  if (name === 'workerd') {
    try {
      r = await workerdCheck(bins.workerd, version('workerd'));
      console.log(`\n# workerd ${r.version}`);
      for (const s of r.skipped) console.log(`# ${s}`);
      console.log(r.lines.join('\n'));
    } catch (e) {
      console.log(`\n# workerd\nnot ok - the workerd check did not run: ${e?.stack ?? e}`);
    }
  } else {
    const run = await runCheck(name, bins[name]);
    console.log(`\n${run.stdout.replace(/^RESULT .*\n?/m, '').trimEnd()}`);
    if (run.code !== 0 && run.stderr.trim()) console.log(run.stderr.trimEnd());
    r = run.result;
    if (!r)
      console.log(`not ok - no RESULT from ${name} (exit ${run.code}${run.signal ? `, ${run.signal}` : ''})`);
  }
  const diff =
    r && name !== 'node' && results.node ? differences(results.node, r, { common: name === 'workerd' }) : [];
  const cases = r ? Object.keys(r.results).length : 0;
  const line = !r
    ? 'did not complete'
    : `${cases - r.failed} of ${cases} cases passed${name === 'node' ? '' : diff.length ? `, ${diff.length} outcome(s) differ from Node's` : ", every outcome as Node's"}`;
  if (!r || r.failed || diff.length) bad++;
  for (const d of diff) console.log(`  differs: ${d}`);
  results[name] = r ? { ...r, summary: line } : null;
  console.log(`## ${name}: ${line} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
}

console.log('\nruntimes checked:');
for (const name of Object.keys(results))
  console.log(
    `  ${name.padEnd(8)} ${results[name]?.version ?? ''}: ${results[name]?.summary ?? 'did not complete'}`,
  );
process.exit(bad ? 1 : 0);
