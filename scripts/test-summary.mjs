#!/usr/bin/env node
// Sums the vitest JSON reports that every workspace package's `test` script writes to `.test-report/vitest.json`
// and prints one line per package and the closing line CI reads: `N passed, N failed, N skipped`. A package with a
// `test` script but no report (its build or its test run crashed) counts as one failure, so a broken package can
// never look green. The root `pnpm test` runs it with `--clean` first (no stale report from an earlier run counts)
// and with `--exit-code $?` after turbo.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './lib/bundle.mjs';

const dirs = [
  'spec',
  ...['packages', 'apps', 'tests'].flatMap((d) => readdirSync(join(repoRoot, d)).map((n) => join(d, n))),
];
if (process.argv.includes('--clean')) {
  for (const dir of dirs) rmSync(join(repoRoot, dir, '.test-report'), { recursive: true, force: true });
  process.exit(0);
}
let passed = 0;
let failed = 0;
let skipped = 0;
for (const dir of dirs) {
  const pkgFile = join(repoRoot, dir, 'package.json');
  if (!existsSync(pkgFile)) continue;
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  if (!pkg.scripts?.test) continue;
  const report = join(repoRoot, dir, '.test-report', 'vitest.json');
  if (!existsSync(report)) {
    console.log(
      `${pkg.name}: no test report (its build or test run failed before reporting): counted as 1 failed`,
    );
    failed += 1;
    continue;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const p = r.numPassedTests ?? 0;
  // A failed test counts once; a test file that failed with no failed test in it (a hook or an import threw, its
  // tests were skipped) counts as one more, so nothing broken hides behind skips.
  const brokenFiles = (r.testResults ?? []).filter(
    (t) => t.status === 'failed' && !(t.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length;
  const f = (r.numFailedTests ?? 0) + brokenFiles;
  const s = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`${pkg.name}: ${p} passed, ${f} failed, ${s} skipped`);
  passed += p;
  failed += f;
  skipped += s;
}
// `--exit-code N`: the test command's own exit code. A non-zero exit with every report green (a lint or build
// step failing after the tests ran) still fails the run.
const i = process.argv.indexOf('--exit-code');
const commandCode = i > 0 ? Number(process.argv[i + 1]) : 0;
if (commandCode !== 0 && failed === 0) {
  console.log(`the test command exited ${commandCode} although every report passed: counted as 1 failed`);
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
