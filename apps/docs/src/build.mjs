// Builds the docs site into site/ from the bundled spec: the API reference (Scalar, local copy), a @wooapi/client
// code sample per operation, and the guides. Fails on a broken link or an operation missing from the pages.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTools } from '@wooapi/agent';
import { Marked } from 'marked';
import { buildLegacy, LEGACY_NAV, loadLegacyBundle } from './legacy.mjs';
import { loadBundle, operations, slug, webhooks } from './lib/bundle.mjs';
import {
  agentTools,
  batchOperations,
  changelog,
  errorsTable,
  listOperations,
  permissionsTable,
  securitySchemes,
  webhookHeaders,
  webhookTopics,
} from './lib/generated.mjs';
import { CSS, esc, layout } from './lib/html.mjs';
import { checkLinks } from './lib/links.mjs';
import { withCodeSamples } from './lib/samples.mjs';

const require = createRequire(import.meta.url);
const appDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = join(appDir, '..', '..');

export function renderMarkdown(md) {
  const marked = new Marked({ gfm: true });
  marked.use({
    renderer: {
      heading({ tokens, depth }) {
        const text = this.parser.parseInline(tokens);
        const id = slug(text.replace(/<[^>]+>/g, ''));
        return `<h${depth} id="${id}">${text}</h${depth}>\n`;
      },
    },
    walkTokens(token) {
      // Guides link to each other as .md (readable on GitHub); the site serves .html.
      if (token.type === 'link' && /^[\w./-]+\.md(#.*)?$/.test(token.href))
        token.href = token.href.replace(/\.md(#|$)/, '.html$1');
    },
  });
  return marked.parse(md);
}

/** Inline Markdown (code spans, emphasis) without links, for text inside a link or a table cell. */
function inline(md) {
  // The text is the project's own (spec tags, guides), so Marked's escaping of code spans is enough.
  return new Marked().parseInline(md.replace(/\[([^\]]+)\]\([^)]+\)/g, '$1'));
}

/** The first sentence of a guide, after its title. */
function lead(md) {
  const paragraph = md.replace(/^# .+\n+/, '').split(/\n\n/)[0] ?? '';
  return paragraph.replace(/\s+/g, ' ').split(/(?<=\.)\s/)[0] ?? '';
}

export function build({
  siteDir = join(appDir, 'site'),
  guidesDir = join(appDir, 'guides'),
  bundle,
  legacyBundle,
} = {}) {
  const doc = bundle ?? loadBundle();
  const legacy = legacyBundle ?? loadLegacyBundle();
  const ops = operations(doc);
  const topics = webhooks(doc).map((w) => w.topic);
  const problems = [];
  for (const o of ops)
    if (!o.op.operationId) problems.push(`${o.method.toUpperCase()} ${o.path} has no operationId`);
  if (problems.length) throw new Error(problems.join('\n'));

  rmSync(siteDir, { recursive: true, force: true });
  mkdirSync(join(siteDir, 'assets', 'scalar'), { recursive: true });
  mkdirSync(join(siteDir, 'guides'), { recursive: true });
  mkdirSync(join(siteDir, 'reference'), { recursive: true });

  // The reference: Scalar's standalone bundle, copied from node_modules so nothing loads from a CDN.
  // The package exports no ./package.json: find its root from the main entry (dist/index.js).
  const scalarDir = dirname(dirname(require.resolve('@scalar/api-reference')));
  copyFileSync(
    join(scalarDir, 'dist', 'browser', 'standalone.js'),
    join(siteDir, 'assets', 'scalar', 'standalone.js'),
  );
  for (const name of ['LICENSE', 'LICENSE.md']) {
    if (existsSync(join(scalarDir, name)))
      copyFileSync(join(scalarDir, name), join(siteDir, 'assets', 'scalar', name));
  }
  const site = withCodeSamples(doc, ops);
  writeFileSync(join(siteDir, 'openapi.json'), JSON.stringify(site));
  writeFileSync(join(siteDir, 'assets', 'site.css'), CSS);
  copyFileSync(join(appDir, 'src', 'client', 'reference.js'), join(siteDir, 'assets', 'reference.js'));
  // Runtime settings: `start` serves its own config.js naming the mock; the static build has none.
  writeFileSync(join(siteDir, 'config.js'), 'window.WOOAPI_DOCS = {};\n');

  // Guides: Markdown with {{generated}} sections.
  // The agent tools, made by @wooapi/agent's own builder from this same bundle.
  const tools = buildTools(doc);
  const generated = {
    'permissions-table': () => permissionsTable(doc, tools),
    'agent-tools': () => agentTools(doc, tools),
    'webhook-topics': () => webhookTopics(doc),
    'webhook-headers': () => webhookHeaders(doc),
    'errors-table': () => errorsTable(doc),
    'list-operations': () => listOperations(doc),
    'batch-operations': () => batchOperations(doc),
    'security-schemes': () => securitySchemes(doc),
    changelog: () => changelog(repoRoot, renderMarkdown),
  };
  const guideFiles = readdirSync(guidesDir)
    .filter((f) => f.endsWith('.md'))
    .sort();
  const guides = guideFiles.map((file) => {
    const md = readFileSync(join(guidesDir, file), 'utf8');
    const title = /^# (.+)$/m.exec(md)?.[1];
    if (!title) throw new Error(`guides/${file} has no "# Title" line`);
    return { file, md, title, href: `guides/${file.replace(/^\d+-/, '').replace(/\.md$/, '.html')}` };
  });
  const nav = [
    { title: 'API reference', href: 'reference/index.html' },
    ...guides.map((g) => ({ title: g.title, href: g.href })),
    ...LEGACY_NAV,
  ];
  for (const g of guides) {
    let html = renderMarkdown(g.md);
    html = html.replace(/(?:<p>)?\{\{([\w-]+)\}\}(?:<\/p>)?/g, (_, name) => {
      if (!generated[name]) {
        problems.push(
          `guides/${g.file}: unknown generated section {{${name}}} (known: ${Object.keys(generated).join(', ')})`,
        );
        return '';
      }
      return generated[name]();
    });
    writeFileSync(join(siteDir, g.href), layout({ title: g.title, body: html, depth: 1, nav }));
  }

  // Landing page.
  const byTag = new Map();
  for (const o of ops) byTag.set(o.tag, (byTag.get(o.tag) ?? 0) + 1);
  const tagDescriptions = new Map((doc.tags ?? []).map((t) => [t.name, t.description ?? '']));
  const landing = `<h1>${esc(doc.info?.title ?? 'API')}</h1>
<p>${esc(doc.info?.summary ?? '')} ${ops.length} operations in ${byTag.size} capability groups, ${topics.length} webhook topics.</p>
<div class="cards">
  <a href="reference/index.html"><strong>API reference</strong><br>Every operation and webhook topic, searchable, with a @wooapi/client sample and try-it.</a>
${guides.map((g) => `  <a href="${g.href}"><strong>${esc(g.title)}</strong><br>${inline(lead(g.md))}</a>`).join('\n')}
</div>
<h2 id="capabilities">Capabilities</h2>
<table><thead><tr><th>Group</th><th>Operations</th><th>About</th></tr></thead><tbody>
${[...byTag].map(([tag, n]) => `<tr><td><a href="reference/index.html#tag/${slug(tag)}">${esc(tag)}</a></td><td>${n}</td><td>${inline(tagDescriptions.get(tag) ?? '')}</td></tr>`).join('\n')}
</tbody></table>`;
  writeFileSync(join(siteDir, 'index.html'), layout({ title: 'Overview', body: landing, depth: 0, nav }));

  const reference = readFileSync(join(appDir, 'src', 'client', 'reference.html'), 'utf8').replace(
    '<!--nav-->',
    nav.map((n) => `<a href="../${n.href}">${esc(n.title)}</a>`).join('\n      '),
  );
  writeFileSync(join(siteDir, 'reference', 'index.html'), reference);

  // Completeness: every operation has its sample and its row; every topic its row.
  const permissionsPage = guides.find((g) => g.md.includes('{{permissions-table}}'));
  if (!permissionsPage) problems.push('no guide holds {{permissions-table}}');
  const permissions = permissionsPage ? readFileSync(join(siteDir, permissionsPage.href), 'utf8') : '';
  for (const o of ops) {
    const samples = site.paths[o.path]?.[o.method]?.['x-codeSamples'] ?? [];
    if (
      !samples.some(
        (s) => s.label === '@wooapi/client' && s.source.includes(`woo.${o.method.toUpperCase()}('${o.path}'`),
      )
    ) {
      problems.push(`${o.op.operationId}: no @wooapi/client code sample`);
    }
    if (!permissions.includes(`data-operation-id="${o.op.operationId}"`))
      problems.push(`${o.op.operationId}: missing from the permissions table`);
  }
  const agentsPage = guides.find((g) => g.md.includes('{{agent-tools}}'));
  if (!agentsPage) problems.push('no guide holds {{agent-tools}}');
  const agentsHtml = agentsPage ? readFileSync(join(siteDir, agentsPage.href), 'utf8') : '';
  for (const t of tools)
    if (!agentsHtml.includes(`data-tool="${t.name}"`))
      problems.push(`tool ${t.name}: missing from the agent tools table`);
  const webhookPage = guides.find((g) => g.md.includes('{{webhook-topics}}'));
  if (!webhookPage) problems.push('no guide holds {{webhook-topics}}');
  const webhookHtml = webhookPage ? readFileSync(join(siteDir, webhookPage.href), 'utf8') : '';
  for (const t of topics)
    if (!webhookHtml.includes(`data-topic="${t}"`))
      problems.push(`webhook ${t}: missing from the webhook topics table`);
  // The legacy API's section: its reference and the migration page, from the legacy bundle.
  const legacySection = buildLegacy({ siteDir, legacy, v3: doc, nav, renderMarkdown, inline });
  problems.push(...legacySection.problems);
  problems.push(...checkLinks(siteDir, { doc, operations: ops, topics }));
  if (problems.length) {
    throw new Error(`The docs build found ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  }
  return {
    siteDir,
    operations: ops.length,
    topics: topics.length,
    guides: guides.length,
    legacyOperations: legacySection.operations,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const result = build();
    console.log(
      `docs: built ${result.siteDir}: ${result.operations} operations, ${result.topics} webhook topics, ${result.guides} guides, ` +
        `${result.legacyOperations} legacy v2 operations with their migration rows`,
    );
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
