import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM modules without type declarations
import { build } from '../src/build.mjs';
// @ts-expect-error plain ESM modules without type declarations
import { loadBundle, operations, webhooks } from '../src/lib/bundle.mjs';
// @ts-expect-error plain ESM modules without type declarations
import { meaningOf } from '../src/lib/generated.mjs';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const doc = loadBundle();
const ops: Array<{ path: string; method: string; op: Record<string, unknown> }> = operations(doc);
const topics: string[] = webhooks(doc).map((w: { topic: string }) => w.topic);

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.html'))
    .map((f) => join(dir, f));
}

describe('docs build', () => {
  let work: string;
  let site: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'wooapi-docs-'));
    site = join(work, 'site');
    build({ siteDir: site });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('gives every operation of the bundle a @wooapi/client sample in the site copy of the spec', () => {
    const copy = JSON.parse(readFileSync(join(site, 'openapi.json'), 'utf8'));
    expect(ops.length).toBeGreaterThan(0);
    for (const { path, method, op } of ops) {
      const samples = copy.paths[path][method]['x-codeSamples'];
      const sample = samples.find((s: { label: string }) => s.label === '@wooapi/client');
      expect(sample, `${op.operationId} has a sample`).toBeDefined();
      expect(sample.source).toContain("import { createWooClient } from '@wooapi/client';");
      expect(sample.source).toContain(`woo.${method.toUpperCase()}('${path}'`);
    }
    // The bundle itself is untouched: the samples live only in the site's copy.
    for (const { path, method } of ops) expect(doc.paths[path][method]['x-codeSamples']).toBeUndefined();
  });

  it('lists every operation in the permissions table with its permission and webhook event', () => {
    const html = readFileSync(join(site, 'guides', 'permissions.html'), 'utf8');
    const rows = [...html.matchAll(/<tr data-operation-id="([^"]+)">(.*?)<\/tr>/g)];
    expect(rows.map((r) => r[1]).sort()).toEqual(ops.map((o) => o.op.operationId as string).sort());
    for (const [, id, row] of rows) {
      const { op } = ops.find((o) => o.op.operationId === id)!;
      expect(row).toContain(`<td>${op['x-wc-permission']}</td>`);
      const event = op['x-wc-webhook-event'];
      if (event)
        expect(row).toMatch(new RegExp(`#(tag/[a-z0-9-]+/)?webhook/${event.replaceAll('.', '\\.')}"`));
    }
  });

  it('lists every webhook topic', () => {
    const html = readFileSync(join(site, 'guides', 'webhooks.html'), 'utf8');
    const listed = [...html.matchAll(/data-topic="([^"]+)"/g)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...topics].sort());
  });

  it('lists every error code of the error examples on the errors page', () => {
    const codes = new Set<string>();
    const resolve = (node: Record<string, unknown> | undefined): Record<string, unknown> | undefined => {
      let n = node;
      while (n && typeof n.$ref === 'string') {
        n = (n.$ref as string)
          .slice(2)
          .split('/')
          .reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], doc) as Record<string, unknown>;
      }
      return n;
    };
    for (const { op } of ops) {
      for (const [status, raw] of Object.entries(
        (op.responses ?? {}) as Record<string, Record<string, unknown>>,
      )) {
        if (!/^[45]/.test(status)) continue;
        const content = (resolve(raw)?.content ?? {}) as Record<
          string,
          { example?: { code?: string }; examples?: Record<string, unknown> }
        >;
        for (const media of Object.values(content)) {
          if (media.example?.code) codes.add(media.example.code);
          for (const ex of Object.values(media.examples ?? {})) {
            const value = resolve(ex as Record<string, unknown>)?.value as { code?: string } | undefined;
            if (value?.code) codes.add(value.code);
          }
        }
      }
    }
    expect(codes.size).toBeGreaterThan(0);
    const html = readFileSync(join(site, 'guides', 'errors.html'), 'utf8');
    for (const code of codes) expect(html, code).toContain(`data-code="${code}"`);
  });

  it('loads nothing from outside the site, and ships Scalar locally', () => {
    for (const file of htmlFiles(site)) {
      const html = readFileSync(file, 'utf8');
      expect(html, file).not.toMatch(/<(script|link|img)\b[^>]*\s(src|href)="(https?:)?\/\//);
    }
    const reference = readFileSync(join(site, 'reference', 'index.html'), 'utf8');
    expect(reference).toContain('src="../assets/scalar/standalone.js"');
    expect(readdirSync(join(site, 'assets', 'scalar'))).toContain('standalone.js');
    const boot = readFileSync(join(site, 'assets', 'reference.js'), 'utf8');
    expect(boot).toMatch(/withDefaultFonts: false/);
    expect(boot).toMatch(/telemetry: false/);
    expect(boot).not.toMatch(/proxyUrl/);
  });

  it('renders the changelog from the changesets', () => {
    const html = readFileSync(join(site, 'guides', 'changelog.html'), 'utf8');
    const changesets = readdirSync(join(appDir, '..', '..', '.changeset')).filter(
      (f) => f.endsWith('.md') && f !== 'README.md',
    );
    for (const f of changesets) expect(html).toContain(`data-changeset="${f}"`);
  });
});

describe('meaningOf', () => {
  const description =
    'The request was invalid: a parameter failed validation (`rest_invalid_param`), a required parameter is ' +
    'missing (`rest_missing_callback_param`), or the ID is unknown (`x_invalid_id`, e.g. `product_invalid_id`). ' +
    'Retry later.';
  it('cuts the clause that names the code, after the lead-in', () => {
    expect(meaningOf(description, 'rest_invalid_param')).toBe(
      'The request was invalid: a parameter failed validation (`rest_invalid_param`)',
    );
    expect(meaningOf(description, 'rest_missing_callback_param')).toBe(
      'The request was invalid: a required parameter is missing (`rest_missing_callback_param`)',
    );
    expect(meaningOf(description, 'product_invalid_id')).toBe(
      'The request was invalid: the ID is unknown (`x_invalid_id`, e.g. `product_invalid_id`)',
    );
  });
  it('keeps list items whole', () => {
    const text =
      'A batch held more than 100 objects across `create`, `update` and `delete` (`too_large`). Split it.';
    expect(meaningOf(text, 'too_large')).toBe(
      'A batch held more than 100 objects across `create`, `update` and `delete` (`too_large`)',
    );
    const auth =
      'No valid credentials: missing keys (`cannot_view`), a bad OAuth signature, timestamp or nonce (`auth_error`).';
    expect(meaningOf(auth, 'auth_error')).toBe(
      'No valid credentials: a bad OAuth signature, timestamp or nonce (`auth_error`)',
    );
  });
  it('falls back to the first sentence when the description does not name the code', () => {
    expect(meaningOf(description, 'other_code')).toBe(description.split(' Retry')[0]);
  });
});

describe('docs build failures', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'wooapi-docs-bad-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  function guidesWith(name: string, text: string): string {
    const dir = join(work, name);
    cpSync(join(appDir, 'guides'), dir, { recursive: true });
    writeFileSync(join(dir, '99-extra.md'), text);
    return dir;
  }

  it('fails on a broken link, a broken anchor and a link to an operation the spec lacks', () => {
    const guidesDir = guidesWith(
      'links',
      '# Extra\n\n[gone](nowhere.md) [anchor](errors.md#no-such-heading) [op](../reference/index.html#tag/products/noSuchOperation)\n',
    );
    expect(() => build({ siteDir: join(work, 'site1'), guidesDir })).toThrow(
      /broken link nowhere\.html[\s\S]*broken anchor errors\.html#no-such-heading[\s\S]*noSuchOperation names no operation/,
    );
  });

  it('fails on an external script', () => {
    const guidesDir = guidesWith(
      'external',
      '# Extra\n\n<script src="https://cdn.example.com/x.js"></script>\n',
    );
    expect(() => build({ siteDir: join(work, 'site2'), guidesDir })).toThrow(
      /loads https:\/\/cdn\.example\.com\/x\.js from outside the site/,
    );
  });

  it('fails on an unknown generated section', () => {
    const guidesDir = guidesWith('placeholder', '# Extra\n\n{{no-such-table}}\n');
    expect(() => build({ siteDir: join(work, 'site3'), guidesDir })).toThrow(
      /unknown generated section \{\{no-such-table\}\}/,
    );
  });

  it('fails when the operations are missing from the permissions table', () => {
    const guidesDir = guidesWith('nopermissions', '# Extra\n');
    writeFileSync(join(guidesDir, '03-permissions.md'), '# Permissions\n\nNo table here.\n');
    const first = ops[0]!.op.operationId as string;
    expect(() => build({ siteDir: join(work, 'site5'), guidesDir })).toThrow(
      new RegExp(
        `no guide holds \\{\\{permissions-table\\}\\}[\\s\\S]*${first}: missing from the permissions table`,
      ),
    );
  });

  it('fails on an operation without an operationId', () => {
    const broken = structuredClone(doc);
    const first = ops[0]!;
    // An operation without an operationId cannot get a sample, a row or an anchor.
    delete broken.paths[first.path][first.method].operationId;
    expect(() => build({ siteDir: join(work, 'site4'), bundle: broken })).toThrow(/has no operationId/);
  });
});
