#!/usr/bin/env node
// Spec coverage report: which routes and operations of a real WooCommerce store (the reference route index) the
// bundled spec describes, what it lacks, what it has that the store lacks, and which accepted parameters it leaves
// out. A report, not a gate: it exits 0 whatever it finds (1 only when it cannot read its inputs).
//
//   node scripts/coverage.mjs            human-readable report
//   node scripts/coverage.mjs --json     machine-readable report on stdout
//
// Inputs: dist/openapi.json (run the build first) and, from the repo root, ../shared/reference/woocommerce-11.0.1/
// wc-v3-index.json (override the shared folder with WOOAPI_SHARED).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NAMESPACE = '/wc/v3';
const UPDATE_METHODS = ['POST', 'PUT', 'PATCH'];
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Routes of the index that are not part of the public API, with the reason shown in the report. */
export const IGNORED_ROUTES = [
  { test: (route) => route === '', reason: 'the namespace index (the self-description this report reads)' },
  {
    test: (route) => route.startsWith('/marketplace/'),
    reason: 'internal to the WooCommerce admin (marketplace/*)',
  },
  {
    test: (route) => /^\/paypal-/.test(route),
    reason: 'internal to the PayPal payments extension (paypal-*)',
  },
];

/** `/wc/v3/orders/(?P<order_id>[\d]+)/notes` -> `/orders/{order_id}/notes`. */
export function toOpenApiPath(route) {
  const rest = route.startsWith(NAMESPACE) ? route.slice(NAMESPACE.length) : route;
  // A named group's pattern may itself hold brackets and nested parentheses; walk to its closing parenthesis.
  let out = '';
  for (let i = 0; i < rest.length; ) {
    if (rest.startsWith('(?P<', i)) {
      const close = rest.indexOf('>', i);
      const name = rest.slice(i + 4, close);
      let depth = 0;
      let j = i;
      for (; j < rest.length; j++) {
        const c = rest[j];
        if (c === '\\') {
          j++;
          continue;
        }
        if (c === '[') {
          const end = rest.indexOf(']', j + 1);
          j = end === -1 ? rest.length : end;
          continue;
        }
        if (c === '(') depth++;
        if (c === ')' && --depth === 0) break;
      }
      out += `{${name}}`;
      i = j + 1;
    } else {
      out += rest[i];
      i++;
    }
  }
  return out;
}

/** `/orders/{order_id}/notes/{id}` -> `/orders/{}/notes/{}`, to match paths whatever their parameters are called. */
export const pathShape = (p) => p.replace(/\{[^}]+\}/g, '{}');

/** The store's operations: one per endpoint, an endpoint answering POST, PUT and PATCH alike counting once. */
function storeOperations(endpoints) {
  const ops = [];
  for (const endpoint of endpoints ?? []) {
    const methods = endpoint.methods.map((m) => m.toUpperCase());
    const isUpdate = UPDATE_METHODS.every((m) => methods.includes(m));
    if (isUpdate) {
      ops.push({
        method: 'PUT',
        accepts: UPDATE_METHODS,
        label: 'PUT (POST, PATCH)',
        args: endpoint.args ?? {},
      });
    }
    for (const m of methods) {
      if (isUpdate && UPDATE_METHODS.includes(m)) continue;
      ops.push({ method: m, accepts: [m], label: m, args: endpoint.args ?? {} });
    }
  }
  return ops;
}

function makeResolver(doc) {
  return function resolve(node) {
    let n = node;
    const seen = new Set();
    while (n && typeof n === 'object' && typeof n.$ref === 'string' && n.$ref.startsWith('#/')) {
      if (seen.has(n.$ref)) break;
      seen.add(n.$ref);
      const target = n.$ref
        .slice(2)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce((o, k) => (o == null ? o : o[k]), doc);
      // OpenAPI 3.1 allows keywords beside $ref; keep them (they narrow the target).
      const { $ref, ...siblings } = n;
      n = target && typeof target === 'object' ? { ...target, ...siblings } : target;
    }
    return n;
  };
}

/** Every property name a request body schema accepts at its top level (through $ref, allOf, oneOf, anyOf). */
function bodyPropertyNames(schema, resolve, seen = new Set()) {
  const s = resolve(schema);
  const names = new Set();
  if (!s || typeof s !== 'object' || seen.has(s)) return names;
  seen.add(s);
  for (const k of Object.keys(s.properties ?? {})) names.add(k);
  for (const key of ['allOf', 'oneOf', 'anyOf']) {
    for (const sub of s[key] ?? []) for (const k of bodyPropertyNames(sub, resolve, seen)) names.add(k);
  }
  return names;
}

/** Parameter names (path, query) and body property names an operation of the spec declares. */
function specOperationInputs(pathItem, op, resolve) {
  const params = new Set();
  for (const p of [...(pathItem.parameters ?? []), ...(op.parameters ?? [])]) {
    const r = resolve(p);
    if (r && (r.in === 'query' || r.in === 'path')) params.add(r.name);
  }
  const body = new Set();
  const content = resolve(op.requestBody)?.content ?? {};
  for (const media of Object.values(content)) {
    for (const k of bodyPropertyNames(media.schema, resolve)) body.add(k);
    // A batch route registers the item's fields as its args; they belong to the `create`/`update` items.
    const top = resolve(media.schema);
    for (const key of ['create', 'update']) {
      const items = resolve(top?.properties?.[key])?.items;
      if (items) for (const k of bodyPropertyNames(items, resolve)) body.add(k);
    }
  }
  return { params, body };
}

/**
 * Compares a bundled OpenAPI document with a WooCommerce route index.
 * @param {object} doc the bundled spec
 * @param {object} index the store's `GET /wp-json/wc/v3?context=help` answer
 */
export function computeCoverage(doc, index) {
  const resolve = makeResolver(doc);
  const ignored = [];
  const storeRoutes = [];
  for (const [route, info] of Object.entries(index.routes ?? {})) {
    if (!route.startsWith(NAMESPACE)) continue;
    const p = toOpenApiPath(route);
    const rule = IGNORED_ROUTES.find((r) => r.test(p));
    if (rule) {
      ignored.push({ route: p || '/', reason: rule.reason });
      continue;
    }
    storeRoutes.push({ path: p, shape: pathShape(p), ops: storeOperations(info.endpoints) });
  }

  const specPaths = Object.entries(doc.paths ?? {}).map(([p, item]) => {
    const pathItem = resolve(item) ?? {};
    const ops = HTTP_METHODS.filter((m) => pathItem[m]).map((m) => ({
      method: m.toUpperCase(),
      op: pathItem[m],
    }));
    return { path: p, shape: pathShape(p), pathItem, ops };
  });
  const specByShape = new Map(specPaths.map((s) => [s.shape, s]));
  const storeByShape = new Map(storeRoutes.map((r) => [r.shape, r]));

  const missing = [];
  const missingParams = [];
  const renamedPathParams = [];
  let coveredOps = 0;
  let totalOps = 0;
  let coveredRoutes = 0;
  const matchedSpecOps = new Set();

  for (const route of storeRoutes) {
    const spec = specByShape.get(route.shape);
    let routeCovered = Boolean(spec);
    if (spec && spec.path !== route.path) renamedPathParams.push({ route: route.path, spec: spec.path });
    for (const op of route.ops) {
      totalOps++;
      const specOp = spec?.ops.find((o) => op.accepts.includes(o.method));
      if (!specOp) {
        missing.push({ route: route.path, method: op.label });
        routeCovered = false;
        continue;
      }
      coveredOps++;
      for (const o of spec.ops)
        if (op.accepts.includes(o.method)) matchedSpecOps.add(`${spec.path} ${o.method}`);
      const { params, body } = specOperationInputs(spec.pathItem, specOp.op, resolve);
      const accepted = new Set([...params, ...body]);
      // A path parameter the spec names differently is still declared; compare path names by position.
      const storeNames = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const specNames = [...spec.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      storeNames.forEach((n, i) => {
        if (specNames[i] && params.has(specNames[i])) accepted.add(n);
      });
      const lacking = Object.keys(op.args).filter((a) => !accepted.has(a));
      if (lacking.length) missingParams.push({ route: route.path, method: op.label, params: lacking.sort() });
    }
    if (routeCovered) coveredRoutes++;
  }

  const extra = [];
  for (const s of specPaths) {
    for (const o of s.ops) {
      if (matchedSpecOps.has(`${s.path} ${o.method}`)) continue;
      const store = storeByShape.get(s.shape);
      extra.push({
        path: s.path,
        method: o.method,
        operationId: o.op.operationId ?? null,
        reason: store ? 'the store has the route but not this method' : 'the store has no such route',
      });
    }
  }

  const byRoute = (a, b) =>
    (a.route ?? a.path).localeCompare(b.route ?? b.path) || a.method.localeCompare(b.method);
  return {
    routes: { covered: coveredRoutes, total: storeRoutes.length },
    operations: { covered: coveredOps, total: totalOps },
    missing: missing.sort(byRoute),
    extra: extra.sort(byRoute),
    missingParams: missingParams.sort(byRoute),
    renamedPathParams,
    ignored,
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
