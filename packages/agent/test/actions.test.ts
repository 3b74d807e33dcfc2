// x-wc-action: one definition (spec/EXTENSIONS.md), the same list in the code and the published policy schema,
// every value in the bundle one of them, and each line where the coordination rule puts it in spec/paths.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTION_NAMES, loadRegistry, policySchemaPath } from '../dist/index.js';
import { loadBundle, repoRoot } from './helpers.js';

const extensions = readFileSync(path.join(repoRoot, 'spec/EXTENSIONS.md'), 'utf8');
const section = extensions.slice(
  extensions.indexOf('### `x-wc-action`'),
  extensions.indexOf('## On a security scheme'),
);
const documented = [...section.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);

describe('x-wc-action', () => {
  it('EXTENSIONS.md, the code and policy.schema.json define the same actions', () => {
    expect(documented.length).toBeGreaterThanOrEqual(5);
    expect([...ACTION_NAMES].sort()).toEqual([...documented].sort());
    const schema = JSON.parse(readFileSync(policySchemaPath(), 'utf8'));
    expect(Object.keys(schema.$defs.agent.properties.actions.properties).sort()).toEqual(
      [...documented].sort(),
    );
  });

  it('every x-wc-action in the bundle names a defined action, and each `when` an argument of its operation', () => {
    const doc = loadBundle();
    let seen = 0;
    for (const item of Object.values<any>(doc.paths)) {
      for (const m of ['get', 'put', 'post', 'patch', 'delete']) {
        const v = item[m]?.['x-wc-action'];
        if (v === undefined) continue;
        for (const entry of Array.isArray(v) ? v : [v]) {
          const name = typeof entry === 'string' ? entry : entry.action;
          expect(documented, `${item[m].operationId}: ${JSON.stringify(entry)}`).toContain(name);
          seen++;
        }
      }
    }
    expect(seen).toBeGreaterThan(40);
    // buildTools refuses an unknown action or a `when` naming no argument: loading the registry proves the rest.
    const registry = loadRegistry();
    const of = (n: string) => registry.byName.get(n)?.actions;
    expect(of('create_order_refund')).toEqual([{ action: 'refund' }]);
    expect(of('delete_order')).toEqual([{ action: 'delete' }]);
    expect(of('batch_orders')).toEqual([{ action: 'batch' }, { action: 'delete', when: 'delete' }]);
    expect(of('create_order_note')).toEqual([{ action: 'send_customer_email', when: 'customer_note' }]);
    expect(of('run_system_status_tool')).toEqual([{ action: 'run_system_tool' }]);
    for (const t of registry.tools)
      if (t.method === 'DELETE') expect(t.actions.map((a) => a.action)).toContain('delete');
  });

  it("in spec/paths each x-wc-action line stands immediately before its operation's x-wc-permission line", () => {
    const dir = path.join(repoRoot, 'spec/paths');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml'))) {
      const lines = readFileSync(path.join(dir, f), 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (/^\s*x-wc-action:/.test(line))
          expect(lines[i + 1], `${f}:${i + 1}`).toMatch(/^\s*x-wc-permission:/);
      });
    }
  });
});
