// The docs section of the legacy API (wc-api/v2): a reference page of every v2 operation and the page "Migrating
// from the legacy API", both generated from the legacy bundle and its x-wc-v3-operation map (spec/EXTENSIONS.md).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { mediaExample, operations, resolveRef, slug, webhookAnchor, webhooks } from './lib/bundle.mjs';
import { esc, layout } from './lib/html.mjs';
import { literal } from './lib/samples.mjs';

const require = createRequire(import.meta.url);

export const LEGACY_NAV = [
  { title: 'Legacy API (v2)', href: 'legacy-v2/index.html' },
  { title: 'Migrating from the legacy API', href: 'legacy-v2/migrating.html' },
];

export function loadLegacyBundle() {
  let file;
  try {
    file = require.resolve('@wooapi/spec/legacy-v2.json');
  } catch {
    throw new Error(
      'The bundled legacy spec @wooapi/spec/legacy-v2.json is missing: build it first (pnpm build).',
    );
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

const code = (text) => `<code>${esc(text)}</code>`;

/** A wc/v3 operation or webhook named by operationId, with its anchor in the reference page. */
function v3Target(v3, operationId) {
  const op = operations(v3).find((o) => o.op.operationId === operationId);
  if (op)
    return {
      label: `${op.method.toUpperCase()} ${op.path}`,
      href: `../reference/index.html#tag/${slug(op.tag)}/${operationId}`,
    };
  const hook = webhooks(v3).find((w) => w.op.operationId === operationId);
  if (hook)
    return {
      label: `webhook ${hook.topic}`,
      href: `../reference/index.html#${webhookAnchor(v3, hook.topic)}`,
    };
  return undefined;
}

function renames(map) {
  const entries = Object.entries(map ?? {});
  if (!entries.length) return '';
  return `<ul>${entries.map(([from, to]) => `<li>${code(from)} → ${to === null ? '<em>none</em>' : code(to)}</li>`).join('')}</ul>`;
}

const SAMPLE_LABEL = '@wooapi/client/legacy-v2';

/** A createLegacyClient sample for one legacy operation: its path parameters, a page size for lists, its example body. */
export function legacySample(doc, { path, method, op, parameters }) {
  const init = {};
  const pathParams = {};
  for (const p of parameters)
    if (p.in === 'path') pathParams[p.name] = p.example ?? resolveRef(doc, p.schema)?.example ?? 1;
  const query = {};
  if (parameters.some((p) => p.name === 'page')) query.filter = { limit: 20 };
  if (method === 'delete' && parameters.some((p) => p.name === 'force')) query.force = 'true';
  if (Object.keys(pathParams).length || Object.keys(query).length)
    init.params = {
      ...(Object.keys(pathParams).length ? { path: pathParams } : {}),
      ...(Object.keys(query).length ? { query } : {}),
    };
  const media = resolveRef(doc, op.requestBody)?.content?.['application/json'];
  const body = media ? mediaExample(doc, media) : undefined;
  if (body !== undefined) init.body = body;
  const call = Object.keys(init).length
    ? `legacy.${method.toUpperCase()}('${path}', ${literal(init)})`
    : `legacy.${method.toUpperCase()}('${path}')`;
  const lines = [
    "import { createLegacyClient } from '@wooapi/client/legacy-v2';",
    '',
    '// Basic over https; over http the client signs with OAuth 1.0a as the plugin checks it.',
    'const legacy = createLegacyClient({',
    "  url: 'https://example.com',",
    "  consumerKey: process.env.WOO_CONSUMER_KEY ?? '',",
    "  consumerSecret: process.env.WOO_CONSUMER_SECRET ?? '',",
    '});',
    '',
    `// ${op.summary ?? op.operationId}. Answers { data, error, response }; error is the {"errors": [...]} envelope.`,
    `const { data, error, response } = await ${call};`,
    parameters.some((p) => p.name === 'page')
      ? "console.log(data, error, response.headers.get('X-WC-TotalPages'));"
      : 'console.log(data, error, response.status);',
  ];
  return { lang: 'TypeScript', label: SAMPLE_LABEL, source: `${lines.join('\n')}\n` };
}

export function buildLegacy({ siteDir, legacy, v3, nav, renderMarkdown, inline }) {
  const problems = [];
  const ops = operations(legacy);
  const hooks = webhooks(legacy);
  mkdirSync(join(siteDir, 'legacy-v2'), { recursive: true });
  const site = structuredClone(legacy);
  for (const o of ops) site.paths[o.path][o.method]['x-codeSamples'] = [legacySample(legacy, o)];
  writeFileSync(join(siteDir, 'legacy-v2', 'openapi.json'), JSON.stringify(site));
  // The full reference (schemas, parameters, examples): the site's Scalar page on the legacy bundle. Its try-it
  // keeps the document's own servers: the mock that \`pnpm start\` runs serves wc/v3.
  const scalarPage = readFileSync(new URL('./client/reference.html', import.meta.url), 'utf8')
    .replace('<title>API reference · wooapi</title>', '<title>Legacy API (v2) reference · wooapi</title>')
    .replace('<!--nav-->', nav.map((n) => `<a href="../${n.href}">${esc(n.title)}</a>`).join('\n      '))
    .replace(
      '<script src="../assets/reference.js"></script>',
      `<script>window.WOOAPI_REFERENCE_PAGE = { url: 'openapi.json', ownServers: true };</script>\n  <script src="../assets/reference.js"></script>`,
    );
  if (!scalarPage.includes('WOOAPI_REFERENCE_PAGE'))
    problems.push('legacy-v2/reference.html: the Scalar page template changed');
  writeFileSync(join(siteDir, 'legacy-v2', 'reference.html'), scalarPage);

  const migrationCell = (op) => {
    const m = op['x-wc-v3-operation'];
    if (!m) {
      problems.push(`${op.operationId}: no x-wc-v3-operation`);
      return '';
    }
    if (m.operationId === null) return `<strong>none</strong>: ${inline(m.instead ?? '')}`;
    const t = v3Target(v3, m.operationId);
    if (!t) {
      problems.push(
        `${op.operationId}: x-wc-v3-operation names ${m.operationId}, which the wc/v3 bundle does not have`,
      );
      return code(m.operationId);
    }
    return `<a href="${t.href}">${code(m.operationId)}</a><br>${code(t.label)}${m.instead ? `<br>${inline(m.instead)}` : ''}`;
  };

  // The reference: every operation by tag, each with its own anchor.
  const byTag = new Map();
  for (const o of ops) byTag.set(o.tag, [...(byTag.get(o.tag) ?? []), o]);
  const tagText = new Map((legacy.tags ?? []).map((t) => [t.name, t.description ?? '']));
  const reference = `<h1>Legacy API (wc-api/v2) reference</h1>
${renderMarkdown(legacy.info?.description ?? '')}
<p>${ops.length} operations on ${Object.keys(legacy.paths ?? {}).length} routes, ${hooks.length} webhook deliveries. Types:
${code("import type { paths } from '@wooapi/types/legacy-v2'")}; client: ${code("import { createLegacyClient } from '@wooapi/client/legacy-v2'")};
mock: ${code("startMock({ api: 'legacy-v2' })")}; the bundle: <a href="openapi.json">openapi.json</a>; every schema,
parameter and example: <a href="reference.html">the full reference</a>. Moving to wc/v3:
<a href="migrating.html">Migrating from the legacy API</a>.</p>
${[...byTag]
  .map(
    ([tag, list]) => `<h2 id="${slug(tag)}">${esc(tag)}</h2>
<p>${inline(tagText.get(tag) ?? '')}</p>
<div class="table-wrap"><table><thead><tr><th>Operation</th><th>Call</th><th>What it does</th><th>wc/v3</th></tr></thead><tbody>
${list
  .map(
    ({ path, method, op }) =>
      `<tr id="${op.operationId}" data-operation-id="${op.operationId}"><td>${code(op.operationId)}</td><td>${code(`${method.toUpperCase()} /wc-api/v2${path}`)}</td><td><strong>${esc(op.summary ?? '')}.</strong> ${inline(op.description ?? '')}</td><td>${migrationCell(op)}</td></tr>`,
  )
  .join('\n')}
</tbody></table></div>`,
  )
  .join('\n')}
<h2 id="webhooks">Webhook deliveries</h2>
<div class="table-wrap"><table><thead><tr><th>Topic</th><th>What is sent</th></tr></thead><tbody>
${hooks.map((h) => `<tr id="webhook-${h.topic}" data-topic="${h.topic}"><td>${code(h.topic)}</td><td>${inline(h.op.description ?? '')}</td></tr>`).join('\n')}
</tbody></table></div>`;
  writeFileSync(
    join(siteDir, 'legacy-v2', 'index.html'),
    layout({ title: 'Legacy API (v2)', body: reference, depth: 1, nav }),
  );

  // The migration page: one row per v2 operation and per delivery.
  const row = (anchor, call, op) => {
    const m = op['x-wc-v3-operation'] ?? {};
    return `<tr data-operation-id="${op.operationId}"><td><a href="index.html#${anchor}">${code(op.operationId)}</a><br>${code(call)}</td><td>${migrationCell(op)}</td><td>${renames(m.parameters)}</td><td>${renames(m.fields)}</td><td>${(m.differences ?? []).length ? `<ul>${m.differences.map((d) => `<li>${inline(d)}</li>`).join('')}</ul>` : ''}</td></tr>`;
  };
  const migrating = `<h1>Migrating from the legacy API</h1>
${renderMarkdown(MIGRATION_INTRO)}
<h2 id="operations">Every v2 operation and its wc/v3 call</h2>
<p>Generated from each operation's ${code('x-wc-v3-operation')}. Parameters and fields not listed keep their name.</p>
<div class="table-wrap"><table><thead><tr><th>v2</th><th>wc/v3</th><th>Parameters (v2 → v3)</th><th>Fields (v2 → v3)</th><th>What behaves differently</th></tr></thead><tbody>
${ops.map(({ path, method, op }) => row(op.operationId, `${method.toUpperCase()} /wc-api/v2${path}`, op)).join('\n')}
</tbody></table></div>
<h2 id="webhooks">Webhook deliveries</h2>
<div class="table-wrap"><table><thead><tr><th>v2</th><th>wc/v3</th><th>Parameters</th><th>Fields</th><th>What behaves differently</th></tr></thead><tbody>
${hooks.map(({ topic, op }) => row(`webhook-${topic}`, `webhook ${topic}`, op)).join('\n')}
</tbody></table></div>`;
  writeFileSync(
    join(siteDir, 'legacy-v2', 'migrating.html'),
    layout({ title: 'Migrating from the legacy API', body: migrating, depth: 1, nav }),
  );

  // Completeness: every operation and delivery has its reference row and its migration row.
  const refHtml = readFileSync(join(siteDir, 'legacy-v2', 'index.html'), 'utf8');
  const migHtml = readFileSync(join(siteDir, 'legacy-v2', 'migrating.html'), 'utf8');
  for (const { op } of [...ops, ...hooks]) {
    if (!migHtml.includes(`data-operation-id="${op.operationId}"`))
      problems.push(`${op.operationId}: missing from the migration page`);
  }
  for (const { op } of ops)
    if (!refHtml.includes(`data-operation-id="${op.operationId}"`))
      problems.push(`${op.operationId}: missing from the legacy reference`);
  return { problems, operations: ops.length, deliveries: hooks.length };
}

const MIGRATION_INTRO = `The legacy REST API (\`/wc-api/v2\`) lives on only through the *WooCommerce Legacy REST API* plugin, and on
WooCommerce 11 it cannot see orders stored in HPOS tables (the default). Move to \`wc/v3\` (\`/wp-json/wc/v3\`,
\`createWooClient\` from \`@wooapi/client\`). What changes everywhere:

| | v2 (\`/wc-api/v2\`) | wc/v3 (\`/wp-json/wc/v3\`) |
| --- | --- | --- |
| Bodies | wrapped: \`{"product": {...}}\`, \`{"products": [...]}\` | the bare object or array |
| Page size | \`filter[limit]\` (default 10, \`-1\` for all) | \`per_page\` (default 10, at most 100) |
| Offset, search | \`filter[offset]\`, \`filter[q]\` | \`offset\`, \`search\` |
| Dates | \`filter[created_at_min/max]\`, \`filter[updated_at_min/max]\` | \`after\`/\`before\`, \`modified_after\`/\`modified_before\` (ISO 8601) |
| Sorting | \`filter[order]=ASC\` (the docs' default, but newest first in fact), \`filter[orderby]\` | \`order=asc\`, \`orderby\` (default \`date\`, \`desc\`) |
| Field selection | \`fields=id,title\` (dot notation for sub-fields) | \`_fields=id,name\` |
| Custom fields | \`filter[meta]=true\` adds \`product_meta\`/\`order_meta\` | \`meta_data\` always |
| Paging headers | \`X-WC-Total\`, \`X-WC-TotalPages\`, \`Link\` (without the port) | \`X-WP-Total\`, \`X-WP-TotalPages\`, \`Link\` |
| Counts | \`/products/count\`, \`/orders/count\`, ... | \`X-WP-Total\` of a list with \`per_page=1\`, or the \`/reports/*/totals\` reports |
| Bulk | \`POST /products/bulk\` with one list (\`id\` present: update) | \`POST /products/batch\` with \`create\`, \`update\`, \`delete\` |
| Deletes | \`{"message": "Deleted product"}\` (202 when trashed) | the deleted resource; \`force=true\` where there is no trash |
| Errors | \`{"errors": [{"code", "message"}]}\`; **404** for missing credentials | \`{"code", "message", "data": {"status"}}\`; 401 |
| Auth over http | OAuth 1.0a in the query, signed over \`/wc-api/v3/...\` with the bare secret | OAuth 1.0a signed over the request URL with \`secret&\` |
| Dates in bodies | \`created_at\`, \`updated_at\` in UTC (\`...Z\`) | \`date_created\` (site time) and \`date_created_gmt\` (UTC) |
| Webhooks | deliveries in the legacy v3 shape, inside an envelope | re-create webhooks through wc/v3 to get wc/v3 payloads |

Field names that change on most resources: \`title\` → \`name\`, \`created_at\` → \`date_created_gmt\`, \`updated_at\` →
\`date_modified_gmt\`, \`billing_address\`/\`shipping_address\` → \`billing\`/\`shipping\`, \`order_number\` → \`number\`,
\`*_meta\` → \`meta_data\`. Each row below lists those of its resource.`;
