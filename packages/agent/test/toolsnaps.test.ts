// Toolsnaps (after github-mcp-server): one line per emitted tool, with a hash of its full definition, committed in
// test/__toolsnaps__/tools.txt. A spec change that changes a tool fails here and shows up in review.
// Update after a deliberate change: pnpm --filter @wooapi/agent toolsnaps:update
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listing, loadRegistry, type ToolDefinition } from '../dist/index.js';

const file = new URL('./__toolsnaps__/tools.txt', import.meta.url);
const HEADER =
  '# One line per tool that @wooapi/agent emits: name | toolset | METHOD path | hints (r=readOnly d=destructive\n' +
  '# i=idempotent o=openWorld) | actions | inputs (* required) | output | sha256 of the definition as tools/list\n' +
  '# sends it. Regenerate: pnpm --filter @wooapi/agent toolsnaps:update\n';

function line(t: ToolDefinition): string {
  const a = t.annotations;
  const hints = `${a.readOnlyHint ? 'r' : '-'}${a.destructiveHint ? 'd' : '-'}${a.idempotentHint ? 'i' : '-'}${a.openWorldHint ? 'o' : '-'}`;
  const actions = t.actions.map((r) => (r.when ? `${r.action}(${r.when})` : r.action)).join(',') || '-';
  const required = new Set<string>(t.inputSchema.required ?? []);
  const inputs = Object.keys(t.inputSchema.properties ?? {})
    .map((k) => (required.has(k) ? `${k}*` : k))
    .join(',');
  const output = !t.outputSchema ? 'none' : t.list ? 'page' : (t.wrap ?? 'object');
  const sha = createHash('sha256')
    .update(JSON.stringify(listing(t)))
    .digest('hex')
    .slice(0, 12);
  return [t.name, t.toolset, `${t.method} ${t.path}`, hints, actions, inputs || '-', output, sha].join(' | ');
}

describe('toolsnaps', () => {
  it('the emitted tool definitions match test/__toolsnaps__/tools.txt', () => {
    const now = `${HEADER + loadRegistry().tools.map(line).join('\n')}\n`;
    if (process.env.UPDATE_TOOLSNAPS === '1' || !existsSync(file)) {
      writeFileSync(file, now);
      console.warn(`toolsnaps: wrote ${file.pathname}`);
    }
    const committed = readFileSync(file, 'utf8');
    if (committed !== now) {
      const a = committed.split('\n');
      const b = now.split('\n');
      const changed = b.filter((l) => !a.includes(l)).slice(0, 10);
      const gone = a.filter((l) => !b.includes(l)).slice(0, 10);
      expect.fail(
        `the tools drifted from the snapshot. New or changed:\n  ${changed.join('\n  ')}\nBefore:\n  ${gone.join('\n  ')}\n` +
          'If the change is meant, run: pnpm --filter @wooapi/agent toolsnaps:update',
      );
    }
  });
});
