// The Agents guide: a row per agent tool (@wooapi/agent's buildTools over the bundle) with its toolset,
// annotations and governing actions; the permissions table links each operation to its tool.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTools } from '@wooapi/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM modules without type declarations
import { build } from '../src/build.mjs';
// @ts-expect-error plain ESM modules without type declarations
import { loadBundle } from '../src/lib/bundle.mjs';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const tools = buildTools(loadBundle());

describe('the Agents guide', () => {
  let work: string;
  let site: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'wooapi-docs-agents-'));
    site = join(work, 'site');
    build({ siteDir: site });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('lists every tool with its toolset, annotations and governing actions', () => {
    const html = readFileSync(join(site, 'guides', 'agents.html'), 'utf8');
    expect(tools.length).toBeGreaterThan(100);
    for (const t of tools) {
      const row = new RegExp(`<tr id="tool-${t.name}" data-tool="${t.name}">(.*?)</tr>`).exec(html)?.[1];
      expect(row, t.name).toBeDefined();
      expect(row).toContain(`<code>${t.toolset}</code>`);
      for (const r of t.actions) expect(row).toContain(`<code>${r.action}</code>`);
      if (t.annotations.readOnlyHint) expect(row).toContain('read-only');
      if (t.annotations.destructiveHint) expect(row).toContain('destructive');
    }
    expect(html).toContain('claude_desktop_config.json');
    expect(html).toContain('.cursor/mcp.json');
    expect(html).toContain('.vscode/mcp.json');
  });

  it('the permissions table links every operation to its tool', () => {
    const html = readFileSync(join(site, 'guides', 'permissions.html'), 'utf8');
    for (const t of tools) {
      const row = new RegExp(`data-operation-id="${t.operationId}">(.*?)</tr>`).exec(html)?.[1];
      expect(row).toContain(`<a href="agents.html#tool-${t.name}"><code>${t.name}</code></a>`);
    }
  });

  it('the build fails when no guide holds the tool table', () => {
    const guidesDir = join(work, 'guides');
    cpSync(join(appDir, 'guides'), guidesDir, { recursive: true });
    writeFileSync(join(guidesDir, '09-agents.md'), '# Agents\n\nNo table.\n');
    expect(() => build({ siteDir: join(work, 'site-no-tools'), guidesDir })).toThrow(
      /no guide holds \{\{agent-tools\}\}/,
    );
  });
});
