import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM modules without type declarations
import { build } from '../src/build.mjs';
// @ts-expect-error plain ESM modules without type declarations
import { loadBundle, operations, webhooks } from '../src/lib/bundle.mjs';

// biome-ignore lint/suspicious/noExplicitAny: the bundles are plain JSON
type Any = any;
const require = createRequire(import.meta.url);
const legacy = JSON.parse(readFileSync(require.resolve('@wooapi/spec/legacy-v2.json'), 'utf8'));
const legacyOps: Any[] = operations(legacy);
const legacyHooks: Any[] = webhooks(legacy);
const v3 = loadBundle();
const v3Ids = new Set([...operations(v3), ...webhooks(v3)].map((o: Any) => o.op.operationId));

describe('docs build: the legacy API section', () => {
  let work: string;
  let site: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'wooapi-docs-legacy-'));
    site = join(work, 'site');
    build({ siteDir: site });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const rows = (html: string) => [
    ...html.matchAll(/<tr (?:id="[^"]+" )?data-operation-id="([^"]+)">(.*?)<\/tr>/g),
  ];

  it('lists every v2 operation in the legacy reference, with its call', () => {
    const html = readFileSync(join(site, 'legacy-v2', 'index.html'), 'utf8');
    expect(legacyOps).toHaveLength(65);
    const found = new Map(rows(html).map((m) => [m[1], m[2]]));
    for (const { path, method, op } of legacyOps) {
      expect(found.get(op.operationId), op.operationId).toContain(
        `${method.toUpperCase()} /wc-api/v2${path}`,
      );
    }
    expect(found.size).toBe(legacyOps.length);
    for (const { topic } of legacyHooks) expect(html).toContain(`data-topic="${topic}"`);
  });

  it('has a migration row for each v2 operation and delivery, naming its wc/v3 call or what to do instead', () => {
    const html = readFileSync(join(site, 'legacy-v2', 'migrating.html'), 'utf8');
    expect(html).toContain('<h1>Migrating from the legacy API</h1>');
    const found = rows(html);
    expect(found.map((m) => m[1]).sort()).toEqual(
      [...legacyOps, ...legacyHooks].map((o) => o.op.operationId).sort(),
    );
    for (const [, id, cells] of found) {
      const m = [...legacyOps, ...legacyHooks].find((o) => o.op.operationId === id).op['x-wc-v3-operation'];
      if (m.operationId === null) expect(cells, id).toContain('<strong>none</strong>');
      else {
        expect(v3Ids.has(m.operationId), `${id} -> ${m.operationId}`).toBe(true);
        expect(cells, id).toMatch(
          new RegExp(`href="\\.\\./reference/index\\.html#[^"]+">.*?${m.operationId}`),
        );
      }
    }
  });

  it('shows the renames and the differences of filters, paging headers and errors', () => {
    const html = readFileSync(join(site, 'legacy-v2', 'migrating.html'), 'utf8');
    const listProducts = rows(html).find((m) => m[1] === 'listProducts')?.[2] ?? '';
    expect(listProducts).toContain('<code>filter[limit]</code> → <code>per_page</code>');
    expect(listProducts).toContain('<code>title</code> → <code>name</code>');
    expect(listProducts).toMatch(/X-WC-Total.*X-WP-Total/);
    expect(listProducts).toMatch(
      /<code>\{&quot;errors&quot;: \[\{&quot;code&quot;, &quot;message&quot;\}\]\}<\/code>/,
    );
    const updateNote = rows(html).find((m) => m[1] === 'updateOrderNote')?.[2] ?? '';
    expect(updateNote).toMatch(/none<\/strong>: wc\/v3 notes cannot be edited/);
  });

  it('puts both pages in the navigation of every page and ships the legacy bundle', () => {
    const guide = readFileSync(join(site, 'guides', 'client.html'), 'utf8');
    expect(guide).toContain('href="../legacy-v2/index.html"');
    expect(guide).toContain('href="../legacy-v2/migrating.html"');
    expect(JSON.parse(readFileSync(join(site, 'legacy-v2', 'openapi.json'), 'utf8')).info.title).toBe(
      legacy.info.title,
    );
  });

  it('fails the build when a v2 operation names a wc/v3 operation the bundle lacks, or has no map', () => {
    const broken = structuredClone(legacy);
    broken.paths['/products'].get['x-wc-v3-operation'].operationId = 'listProductz';
    delete broken.paths['/coupons'].get['x-wc-v3-operation'];
    const dir = join(work, 'broken');
    expect(() => build({ siteDir: dir, legacyBundle: broken })).toThrow(
      /listProducts: x-wc-v3-operation names listProductz, which the wc\/v3 bundle does not have[\s\S]*listCoupons: no x-wc-v3-operation/,
    );
  });
});
