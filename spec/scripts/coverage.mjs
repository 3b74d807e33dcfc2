#!/usr/bin/env node
// Spec coverage report: which routes and operations of a real WooCommerce store (the reference route index) the
// bundled spec describes, what it lacks, what it has that the store lacks, and which accepted parameters it leaves
// out. The comparison itself is lib/compare.mjs, shared with `wooapi-mock diff`; this script counts and prints it.
// A report, not a gate: it exits 0 whatever it finds (1 only when it cannot read its inputs).
//
//   node scripts/coverage.mjs            human-readable report
//   node scripts/coverage.mjs --json     machine-readable report on stdout
//
// Inputs: dist/openapi.json (run the build first) and, from the repo root, ../shared/reference/woocommerce-11.0.1/
// wc-v3-index.json (override the shared folder with WOOAPI_SHARED).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareIndex } from '../lib/compare.mjs';

/**
 * Counts and lists what lib/compare.mjs finds between a bundled OpenAPI document and a WooCommerce route index.
 * @param {object} doc the bundled spec
 * @param {object} index the store's `GET /wp-json/wc/v3?context=help` answer
 */
export function computeCoverage(doc, index) {
  const { routes, specOnlyPaths, ignored } = compareIndex(doc, index);
  const missing = [];
  const extra = [];
  const missingParams = [];
  const renamedPathParams = [];
  let coveredRoutes = 0;
  let coveredOps = 0;
  let totalOps = 0;
  const pairs = { covered: 0, documented: 0, aliases: 0, total: 0 };
  const missingPairs = [];
  for (const route of routes) {
    for (const pair of route.pairs) {
      pairs.total++;
      if (!pair.served) {
        missingPairs.push({ route: route.path, method: pair.method });
        continue;
      }
      pairs.covered++;
      pairs[pair.served === 'alias' ? 'aliases' : 'documented']++;
    }
    if (route.specPath && route.specPath !== route.path)
      renamedPathParams.push({ route: route.path, spec: route.specPath });
    let routeCovered = Boolean(route.specPath);
    for (const op of route.operations) {
      totalOps++;
      if (!op.spec) {
        missing.push({ route: route.path, method: op.label });
        routeCovered = false;
        continue;
      }
      coveredOps++;
      if (op.params.storeOnly.length)
        missingParams.push({ route: route.path, method: op.label, params: [...op.params.storeOnly].sort() });
    }
    if (routeCovered) coveredRoutes++;
    for (const o of route.specOnlyOperations ?? [])
      extra.push({ path: route.specPath, ...o, reason: 'the store has the route but not this method' });
  }
  for (const p of specOnlyPaths)
    for (const o of p.operations) extra.push({ path: p.path, ...o, reason: 'the store has no such route' });

  const byRoute = (a, b) =>
    (a.route ?? a.path).localeCompare(b.route ?? b.path) || a.method.localeCompare(b.method);
  return {
    routes: { covered: coveredRoutes, total: routes.length },
    operations: { covered: coveredOps, total: totalOps },
    pairs,
    missingPairs: missingPairs.sort(byRoute),
    missing: missing.sort(byRoute),
    extra: extra.sort(byRoute),
    missingParams: missingParams.sort(byRoute),
    renamedPathParams,
    ignored: ignored.map((i) => ({ route: i.path, reason: i.reason })),
  };
}

const pct = (a, b) => (b === 0 ? '0.0' : ((100 * a) / b).toFixed(1));

export function formatReport(report, { bundlePath, indexPath }) {
  const lines = [];
  lines.push(`Spec coverage of the WooCommerce 11.0.1 wc/v3 route index`);
  lines.push(`  spec:  ${bundlePath}`);
  lines.push(`  index: ${indexPath}`);
  lines.push('');
  lines.push(
    `Routes:     ${report.routes.covered}/${report.routes.total} fully covered (${pct(report.routes.covered, report.routes.total)}%)`,
  );
  lines.push(
    `Operations: ${report.operations.covered}/${report.operations.total} covered (${pct(report.operations.covered, report.operations.total)}%)` +
      '  (an endpoint taking POST, PUT and PATCH counts once; the spec documents it as PUT)',
  );
  lines.push(
    `Route x method pairs: ${report.pairs.covered}/${report.pairs.total} served (${pct(report.pairs.covered, report.pairs.total)}%): ` +
      `${report.pairs.documented} documented, ${report.pairs.aliases} as x-wc-method-aliases`,
  );
  for (const m of report.missingPairs) lines.push(`  not served: ${m.method.padEnd(7)} ${m.route}`);
  lines.push(
    `Ignored:    ${report.ignored.length} routes (${[...new Set(report.ignored.map((i) => i.reason))].join('; ')})`,
  );
  lines.push('');
  lines.push(`Missing from the spec (${report.missing.length}):`);
  for (const m of report.missing) lines.push(`  ${m.method.padEnd(17)} ${m.route}`);
  if (!report.missing.length) lines.push('  (none)');
  lines.push('');
  lines.push(`In the spec but not in the store (${report.extra.length}):`);
  for (const e of report.extra)
    lines.push(`  ${e.method.padEnd(17)} ${e.path}  (${e.operationId ?? 'no operationId'}: ${e.reason})`);
  if (!report.extra.length) lines.push('  (none)');
  lines.push('');
  const nParams = report.missingParams.reduce((n, m) => n + m.params.length, 0);
  lines.push(
    `Parameters the store accepts that the spec lacks, on covered operations (${nParams} in ${report.missingParams.length} operations):`,
  );
  for (const m of report.missingParams)
    lines.push(`  ${m.method.padEnd(17)} ${m.route}: ${m.params.join(', ')}`);
  if (!report.missingParams.length) lines.push('  (none)');
  if (report.renamedPathParams.length) {
    lines.push('');
    lines.push(`Path parameters named differently from the store (${report.renamedPathParams.length}):`);
    for (const r of report.renamedPathParams) lines.push(`  store ${r.route}  spec ${r.spec}`);
  }
  return lines.join('\n');
}

function main(argv) {
  const json = argv.includes('--json');
  const unknown = argv.filter((a) => a !== '--json');
  if (unknown.length) {
    console.error(
      `coverage: unknown argument(s) ${unknown.join(' ')}; usage: node scripts/coverage.mjs [--json]`,
    );
    return 2;
  }
  const specDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const repoRoot = path.resolve(specDir, '..');
  const shared = process.env.WOOAPI_SHARED
    ? path.resolve(process.env.WOOAPI_SHARED)
    : path.resolve(repoRoot, '../shared');
  const indexPath = path.join(shared, 'reference/woocommerce-11.0.1/wc-v3-index.json');
  const bundlePath = path.join(specDir, 'dist/openapi.json');

  if (!existsSync(bundlePath)) {
    console.error(
      `coverage: ${bundlePath} not found. Build the spec first: pnpm build (or pnpm spec:coverage, which builds).`,
    );
    return 1;
  }
  if (!existsSync(indexPath)) {
    const message = `coverage skipped: ../shared not found (looked for ${indexPath}); set WOOAPI_SHARED to the folder holding reference/.`;
    if (json) console.log(JSON.stringify({ skipped: true, reason: message }));
    else console.warn(message);
    return 0;
  }
  let doc;
  let index;
  try {
    doc = JSON.parse(readFileSync(bundlePath, 'utf8'));
    index = JSON.parse(readFileSync(indexPath, 'utf8'));
  } catch (err) {
    console.error(`coverage: cannot parse input: ${err.message}`);
    return 1;
  }
  const report = computeCoverage(doc, index);
  if (json) console.log(JSON.stringify({ bundle: bundlePath, index: indexPath, ...report }, null, 2));
  else console.log(formatReport(report, { bundlePath, indexPath }));
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
