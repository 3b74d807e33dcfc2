// The generated sections of the guides: tables built from the bundle (x-wc-* extensions, error examples,
// webhook topics) and the changelog from the changesets. Each is a function of the spec, never a hand-written list.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { operations, resolveRef, responseExamples, slug, webhookAnchor, webhooks } from './bundle.mjs';
import { esc } from './html.mjs';

/** The reference-page anchor of an operation (the reference page sets Scalar's slugs to match). */
export function operationHref(o, up = '../') {
  return `${up}reference/index.html#tag/${slug(o.tag)}/${o.op.operationId}`;
}

export function webhookHref(doc, topic, up = '../') {
  return `${up}reference/index.html#${webhookAnchor(doc, topic)}`;
}

const code = (s) => `<code>${esc(s)}</code>`;

/** Spec prose to HTML: text escaped, `backticks` as code. */
const prose = (text) =>
  text
    .trim()
    .split('`')
    .map((part, i) => (i % 2 ? code(part) : esc(part)))
    .join('');

/** The delivery headers, as the spec's webhook topics declare them (each once, in the order they first appear). */
export function webhookHeaders(doc) {
  const headers = new Map();
  for (const { op } of webhooks(doc)) {
    for (const raw of op.parameters ?? []) {
      const p = resolveRef(doc, raw);
      if (p.in === 'header' && !headers.has(p.name)) headers.set(p.name, p);
    }
  }
  const rows = [...headers.values()].map(
    (p) => `<tr><td>${code(p.name)}</td><td>${prose(p.description ?? '')}</td></tr>`,
  );
  return `<table id="webhook-headers"><thead><tr><th>Header</th><th>Value</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

/** The agent tool of each operation (from @wooapi/agent's buildTools over the same bundle), by operationId. */
const toolByOperation = (tools) => new Map((tools ?? []).map((t) => [t.operationId, t]));

export function permissionsTable(doc, tools) {
  const toolOf = toolByOperation(tools);
  const ops = operations(doc);
  const byTag = new Map();
  for (const o of ops) byTag.set(o.tag, [...(byTag.get(o.tag) ?? []), o]);
  const reads = ops.filter((o) => o.op['x-wc-permission'] === 'read').length;
  const parts = [
    `<p>${ops.length} operations: ${reads} need a <strong>read</strong> key, ${ops.length - reads} a <strong>write</strong> key.</p>`,
    '<table id="permissions-table">',
    '<thead><tr><th>Capability</th><th>Operation</th><th>Method and path</th><th>Permission</th><th>Acts on</th><th>Webhook event</th><th>Agent tool</th></tr></thead>',
    '<tbody>',
  ];
  for (const [tag, list] of byTag) {
    for (const o of list) {
      const event = o.op['x-wc-webhook-event'];
      parts.push(
        `<tr data-operation-id="${esc(o.op.operationId)}"><td>${esc(tag)}</td>` +
          `<td><a href="${operationHref(o)}">${esc(o.op.operationId)}</a></td>` +
          `<td>${code(`${o.method.toUpperCase()} ${o.path}`)}</td>` +
          `<td>${esc(o.op['x-wc-permission'] ?? '(not declared)')}</td>` +
          `<td>${code(o.op['x-wc-resource'] ?? '')}</td>` +
          `<td>${event ? `<a href="${webhookHref(doc, event)}">${code(event)}</a>` : '—'}</td>` +
          `<td>${toolOf.has(o.op.operationId) ? `<a href="agents.html#tool-${toolOf.get(o.op.operationId).name}">${code(toolOf.get(o.op.operationId).name)}</a>` : '—'}</td></tr>`,
      );
    }
  }
  parts.push('</tbody></table>');
  return parts.join('\n');
}

export function webhookTopics(doc) {
  const ops = operations(doc);
  const rows = webhooks(doc).map(({ topic, op }) => {
    const triggers = ops
      .filter((o) => o.op['x-wc-webhook-event'] === topic)
      .map((o) => code(`${o.method.toUpperCase()} ${o.path}`));
    return `<tr data-topic="${esc(topic)}"><td><a href="${webhookHref(doc, topic)}">${code(topic)}</a></td><td>${esc(op.summary ?? '')}</td><td>${triggers.join('<br>') || '—'}</td></tr>`;
  });
  return `<table id="webhook-topics"><thead><tr><th>Topic</th><th>What it signals</th><th>Triggered by</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

const ADVICE = {
  400: 'Fix the request: read `message` (and `data.params` for a bad parameter), then resend. Not retryable as is.',
  401: 'Check the consumer key and secret, the auth method for the scheme (Basic over HTTPS, OAuth 1.0a over HTTP), and that the key has the permission the operation needs.',
  403: 'The key is valid, but its WordPress user lacks the capability: use a key of a user with the right role.',
  404: 'Check the ID (it may be deleted or trashed) or, for `rest_no_route`, the store URL and its permalink settings.',
  409: 'The resource changed or already exists: re-read it, then retry with the current state.',
  413: 'Send less: at most 100 objects per batch request, and a body the host accepts.',
  429: 'Slow down: wait for `Retry-After` (the client retries for you), then resend.',
  500: 'A store or host failure: retry with backoff; check the store logs if it persists.',
  501: 'The store does not support this (a missing extension or an unsupported method): do not retry.',
  503: 'The host is overloaded or in maintenance: retry with backoff.',
};

function adviceFor(status) {
  const text = ADVICE[status] ?? (String(status).startsWith('5') ? ADVICE[500] : ADVICE[400]);
  return text.replace(/`([^`]+)`/g, (_, c) => code(c));
}

/** Every error code the spec names: codes of the error examples, and codes in backticks in error descriptions. */
export function collectErrors(doc) {
  const ops = operations(doc);
  const codes = new Map();
  const note = (name, status, meaning, o) => {
    const key = `${name}|${status}`;
    const entry = codes.get(key) ?? { code: name, status, meanings: new Set(), ops: new Set() };
    if (meaning) entry.meanings.add(meaning);
    entry.ops.add(o.op.operationId);
    codes.set(key, entry);
  };
  for (const o of ops) {
    for (const { status, description, examples } of responseExamples(doc, o.op)) {
      if (!/^[45]/.test(status)) continue;
      const meaning = description.trim().split('\n').join(' ');
      for (const ex of examples) {
        if (ex && typeof ex === 'object' && typeof ex.code === 'string') note(ex.code, status, meaning, o);
      }
      for (const m of description.matchAll(/`([a-z][a-z0-9_]*(?:<[a-z_]+>[a-z0-9_]*)*)`/g)) {
        if (/_/.test(m[1]) && /(rest|error|invalid|cannot|missing|exists|unsupported)/.test(m[1]))
          note(m[1], status, meaning, o);
      }
    }
  }
  return [...codes.values()].sort((a, b) => a.status.localeCompare(b.status) || a.code.localeCompare(b.code));
}

/** Splits at `,` `;` `:` outside parentheses. */
function clauses(sentence) {
  const out = [];
  let depth = 0;
  let current = '';
  for (const ch of sentence) {
    if (ch === '(') depth++;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if (depth === 0 && (ch === ',' || ch === ';' || ch === ':')) {
      out.push({ text: current.trim(), sep: ch });
      current = '';
    } else current += ch;
  }
  out.push({ text: current.trim(), sep: '' });
  return out.filter((c) => c.text);
}

/**
 * What a code means, cut from the response description that names it: the clause with the code, after the
 * sentence's lead-in ("The request was invalid: a parameter failed validation (`rest_invalid_param`)").
 */
export function meaningOf(description, errorCode) {
  const text = description.replace(/\s+/g, ' ').trim();
  const sentences = text.split(/(?<=\.)\s+(?=[A-Z])/);
  const sentence = sentences.find((x) => x.includes(`\`${errorCode}\``));
  if (!sentence) return sentences[0] ?? '';
  const parts = clauses(sentence.replace(/\.$/, ''));
  const index = parts.findIndex((c) => c.text.includes(`\`${errorCode}\``));
  const hasLead = parts[0].sep === ':' && index > 0;
  // A clause without a (`code`) of its own belongs to the next one ("across `create`, `update` and ...").
  let start = index;
  while (start - 1 >= (hasLead ? 1 : 0) && parts[start - 1].sep !== ':' && !/\(`/.test(parts[start - 1].text))
    start--;
  const clause = parts
    .slice(start, index + 1)
    .map((c, i, all) => (i < all.length - 1 ? `${c.text}${c.sep}` : c.text))
    .join(' ')
    .replace(/^(or|and)\s+/, '');
  const lead = hasLead ? `${parts[0].text}: ` : '';
  const meaning = `${lead}${clause}`;
  return meaning.charAt(0).toUpperCase() + meaning.slice(1);
}

export function errorsTable(doc) {
  const errors = collectErrors(doc);
  const rows = errors.map((e) => {
    const meaning = meaningOf([...e.meanings][0] ?? '', e.code);
    return `<tr data-code="${esc(e.code)}"><td>${esc(e.status)}</td><td>${code(e.code)}</td><td>${esc(meaning).replace(/`([^`]+)`/g, '<code>$1</code>')}</td><td>${adviceFor(Number(e.status))}</td><td>${e.ops.size}</td></tr>`;
  });
  return `<p>${errors.length} error codes appear in the spec's error responses.</p>
<table id="errors-table"><thead><tr><th>Status</th><th>Code</th><th>Meaning</th><th>What to do</th><th>Operations</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

export function listOperations(doc) {
  const lists = operations(doc).filter((o) => o.method === 'get' && /^list/.test(o.op.operationId));
  return `<ul>\n${lists.map((o) => `<li><a href="${operationHref(o)}">${esc(o.op.operationId)}</a> ${code(`GET ${o.path}`)}</li>`).join('\n')}\n</ul>`;
}

export function batchOperations(doc) {
  const batches = operations(doc).filter((o) => /^batch/.test(o.op.operationId));
  return `<ul>\n${batches.map((o) => `<li><a href="${operationHref(o)}">${esc(o.op.operationId)}</a> ${code(`${o.method.toUpperCase()} ${o.path}`)}</li>`).join('\n')}\n</ul>`;
}

export function securitySchemes(doc) {
  const rows = Object.entries(doc.components?.securitySchemes ?? {}).map(([name, raw]) => {
    const s = resolveRef(doc, raw);
    const where = s.type === 'http' ? `HTTP ${s.scheme}` : `${s.type} in ${s.in}: ${s.name}`;
    return `<tr><td>${code(name)}</td><td>${esc(where)}</td><td>${esc((s.description ?? '').trim())}</td></tr>`;
  });
  return `<table id="security-schemes"><thead><tr><th>Scheme</th><th>Sent as</th><th>Description</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

/** The changelog: pending changesets, then each package's CHANGELOG.md. */
export function changelog(repoRoot, renderMarkdown) {
  const parts = [];
  const dir = join(repoRoot, '.changeset');
  const pending = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.md') && f !== 'README.md')
        .sort()
    : [];
  parts.push(`<h2 id="unreleased">Unreleased (${pending.length} changesets)</h2>`);
  if (pending.length === 0) parts.push('<p>No pending changes.</p>');
  for (const file of pending) {
    const text = readFileSync(join(dir, file), 'utf8');
    const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
    if (!match) throw new Error(`.changeset/${file} has no front matter`);
    const bumps = match[1]
      .split('\n')
      .map((l) => /^['"]?([^'"]+)['"]?:\s*(\w+)/.exec(l.trim()))
      .filter(Boolean)
      .map((m) => `${code(m[1])} ${esc(m[2])}`);
    parts.push(
      `<section class="changeset" data-changeset="${esc(file)}"><p>${bumps.join(', ')}</p>${renderMarkdown(match[2])}</section>`,
    );
  }
  const pkgs = join(repoRoot, 'packages');
  const logs = [join(repoRoot, 'spec', 'CHANGELOG.md')];
  if (existsSync(pkgs)) for (const p of readdirSync(pkgs).sort()) logs.push(join(pkgs, p, 'CHANGELOG.md'));
  for (const file of logs.filter(existsSync)) {
    const md = readFileSync(file, 'utf8').replace(/^# /m, '## ');
    parts.push(renderMarkdown(md));
  }
  return parts.join('\n');
}

/**
 * Every agent tool (@wooapi/agent, `wooapi-mcp`): its toolset, MCP annotations and the x-wc-action actions that
 * govern it besides its resource's level.
 */
export function agentTools(doc, tools) {
  const hints = (a) =>
    [
      a.readOnlyHint && 'read-only',
      a.destructiveHint && 'destructive',
      a.idempotentHint && 'idempotent',
      a.openWorldHint && 'open-world',
    ]
      .filter(Boolean)
      .join(', ') || '—';
  const byToolset = new Map();
  for (const t of tools) byToolset.set(t.toolset, [...(byToolset.get(t.toolset) ?? []), t]);
  const reads = tools.filter((t) => t.annotations.readOnlyHint).length;
  const parts = [
    `<p>${tools.length} tools in ${byToolset.size} toolsets: ${reads} read-only, ${tools.length - reads} that change the store.</p>`,
    '<table id="agent-tools">',
    '<thead><tr><th>Toolset</th><th>Tool</th><th>What it does</th><th>Needs</th><th>Annotations</th><th>Governing actions</th></tr></thead>',
    '<tbody>',
  ];
  const ops = new Map(operations(doc).map((o) => [o.op.operationId, o]));
  for (const [toolset, list] of byToolset) {
    for (const t of list) {
      const o = ops.get(t.operationId);
      const actions =
        t.actions.map((r) => code(r.action) + (r.when ? ` when ${code(r.when)}` : '')).join(', ') || '—';
      parts.push(
        `<tr id="tool-${esc(t.name)}" data-tool="${esc(t.name)}"><td>${code(toolset)}</td>` +
          `<td>${o ? `<a href="${operationHref(o)}">${code(t.name)}</a>` : code(t.name)}</td>` +
          `<td>${esc(t.title)}</td><td>${code(t.resource)}: ${t.permission === 'read' ? 'read' : 'full'}</td>` +
          `<td>${hints(t.annotations)}</td><td>${actions}</td></tr>`,
      );
    }
  }
  parts.push('</tbody></table>');
  return parts.join('\n');
}
