import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
// @ts-expect-error plain ESM module without type declarations
import { build } from '../src/build.mjs';
// @ts-expect-error plain ESM module without type declarations
import { loadBundle, operations } from '../src/lib/bundle.mjs';

// Real processes (Prism, Chromium) on a machine busy with parallel turbo tasks outlast vitest's 5 s default.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const appDir = fileURLToPath(new URL('..', import.meta.url));
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
if (!hasChromium) {
  console.warn(
    `skipped: no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH); the docs e2e test did not run`,
  );
}
const results = join(appDir, 'test-results');
const doc = loadBundle();
const ops: Array<{
  path: string;
  method: string;
  tag: string;
  op: { operationId: string; summary?: string };
}> = operations(doc);

/** Starts `node src/start.mjs` as a real process and reads the two URLs it prints. */
function startDocs(): Promise<{
  child: ChildProcess;
  docsUrl: string;
  mockUrl: string;
  output: () => string;
}> {
  const child = spawn(process.execPath, [join(appDir, 'src', 'start.mjs')], {
    cwd: appDir,
    env: { ...process.env, PORT: '', DOCS_PORT: '', MOCK_PORT: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`start printed no URLs in 60 s:\n${out}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`start exited (${code}):\n${out}`)));
    child.stdout!.on('data', () => {
      const docs = /wooapi docs\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      const mock = /mock store\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (docs && mock) {
        clearTimeout(timer);
        resolve({ child, docsUrl: docs[1]!, mockUrl: mock[1]!, output: () => out });
      }
    });
  });
}

/**
 * Waits until the page's anchor names a section Scalar rendered (its ids are the anchor behind a document prefix,
 * `api-1/`), the anchor ends with `suffix`, and the browser has scrolled to that section.
 */
async function landedOn(page: Page, suffix: string): Promise<void> {
  await page.waitForFunction(
    (end) => {
      const hash = decodeURIComponent(location.hash.slice(1));
      if (!hash.endsWith(end)) return false;
      const el = [...document.querySelectorAll('[id]')].find((e) => e.id.replace(/^[^/]+\//, '') === hash);
      if (!el) return false;
      const top = el.getBoundingClientRect().top;
      return top >= -5 && top < window.innerHeight;
    },
    suffix,
    { timeout: 30_000 },
  );
}

describe.skipIf(!hasChromium)('docs site in headless Chromium, served by start', () => {
  let started: Awaited<ReturnType<typeof startDocs>>;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const requests: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(appDir, 'site', 'index.html'))) build();
    mkdirSync(results, { recursive: true });
    started = await startDocs();
    profile = mkdtempSync(join(tmpdir(), 'wooapi-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1400, height: 900 },
    });
    context.on('request', (r) => requests.push(r.url()));
    page = context.pages()[0] ?? (await context.newPage());
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    if (started && started.child.exitCode === null) {
      started.child.kill('SIGKILL');
    }
  });

  it('loads the site from start', async () => {
    await page.goto(`${started.docsUrl}/`);
    await expect(page.title()).resolves.toContain('wooapi');
    await expect(page.locator('a[href="reference/index.html"]').first().isVisible()).resolves.toBe(true);
  });

  it('shows the @wooapi/client sample on an operation', async () => {
    const target = ops.find((o) => o.op.operationId === 'getProduct') ?? ops[0]!;
    await page.goto(
      `${started.docsUrl}/reference/index.html#tag/${target.tag.toLowerCase().replace(/[^a-z0-9]+/g, '-')}/${target.op.operationId}`,
    );
    const section = page.locator(`[id$="/${target.op.operationId}"]`).first();
    await section.waitFor({ timeout: 30_000 });
    const sample = section
      .getByText(`woo.${target.method.toUpperCase()}('${target.path}'`, { exact: false })
      .first();
    await sample.waitFor({ timeout: 30_000 });
    await expect(section.getByText("from '@wooapi/client'").first().isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(results, 'operation-sample.png') });
  });

  it('lists every operation in the permission table', async () => {
    await page.goto(`${started.docsUrl}/guides/permissions.html`);
    const ids = await page
      .locator('#permissions-table tr[data-operation-id]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-operation-id')));
    expect(ids.sort()).toEqual(ops.map((o) => o.op.operationId).sort());
  });

  it('follows the permission table into the reference, to an operation and to its webhook topic', async () => {
    const withEvent = ops.find((o) => (o.op as Record<string, unknown>)['x-wc-webhook-event'])!;
    const event = (withEvent.op as Record<string, unknown>)['x-wc-webhook-event'] as string;
    await page.goto(`${started.docsUrl}/guides/permissions.html`);
    const row = page.locator(`tr[data-operation-id="${withEvent.op.operationId}"]`);
    await row.getByRole('link', { name: withEvent.op.operationId }).click();
    await landedOn(page, `/${withEvent.op.operationId}`);
    await page.goto(`${started.docsUrl}/guides/permissions.html`);
    await row.getByRole('link', { name: event }).click();
    await landedOn(page, `webhook/${event}`);
  });

  it('finds an operation with search', async () => {
    const target = ops.find(
      (o) => o.op.summary && ops.filter((x) => x.op.summary === o.op.summary).length === 1,
    )!;
    await page.goto(`${started.docsUrl}/reference/index.html`);
    await page.getByText('Search', { exact: true }).first().click();
    await page.keyboard.type(target.op.summary!);
    const hit = page
      .getByRole('option')
      .filter({ hasText: target.op.summary! })
      .filter({ hasText: target.path });
    await hit.first().waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(results, 'search.png') });
    await page.keyboard.press('Escape');
  });

  it('follows the migration page from a v2 operation to its wc/v3 operation', async () => {
    await page.goto(`${started.docsUrl}/legacy-v2/migrating.html`);
    const row = page.locator('tr[data-operation-id="getProductBySku"]');
    await expect(row.getByText('GET /wc-api/v2/products/sku/{sku}').isVisible()).resolves.toBe(true);
    await row.getByRole('link', { name: 'listProducts' }).click();
    await landedOn(page, '/listProducts');
    await page.screenshot({ path: join(results, 'migration-to-v3.png') });
  });

  it('renders the legacy document in its own full reference', async () => {
    await page.goto(`${started.docsUrl}/legacy-v2/reference.html#tag/products/getProductBySku`);
    await landedOn(page, '/getProductBySku');
    const section = page.locator('[id$="/getProductBySku"]').first();
    await expect(section.getByText('Get a product by SKU').first().isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(results, 'legacy-reference.png') });
  });

  it('sends a try-it request to the local mock', async () => {
    const list = ops.find((o) => o.op.operationId === 'listProducts') ?? ops.find((o) => o.method === 'get')!;
    await page.goto(
      `${started.docsUrl}/reference/index.html#tag/${list.tag.toLowerCase().replace(/[^a-z0-9]+/g, '-')}/${list.op.operationId}`,
    );
    const section = page.locator(`[id$="/${list.op.operationId}"]`).first();
    await section.waitFor({ timeout: 30_000 });
    await section
      .getByRole('button', { name: /Test Request/ })
      .first()
      .click();
    const apiUrl = `${started.mockUrl}/wp-json/wc/v3`;
    const responded = page.waitForResponse(
      (r) => r.url().startsWith(`${apiUrl}${list.path}`) && r.request().method() === 'GET',
      {
        timeout: 30_000,
      },
    );
    await page
      .getByRole('button', {
        name: new RegExp(`Send get request to ${apiUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
      })
      .click();
    const response = await responded;
    expect(response.status()).toBe(200);
    expect(response.headers()['x-wp-total']).toBeDefined();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(results, 'try-it.png') });
  });

  it('sent no request outside 127.0.0.1', () => {
    expect(requests.length).toBeGreaterThan(0);
    const outside = requests.filter((u) => !/^(http:\/\/127\.0\.0\.1[:/]|data:|blob:|about:)/.test(u));
    expect(outside).toEqual([]);
  });

  it('stops the docs server and the mock on SIGINT', async () => {
    const { child, docsUrl, mockUrl } = started;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    await expect(fetch(`${docsUrl}/`)).rejects.toThrow();
    await expect(fetch(`${mockUrl}/`)).rejects.toThrow();
    expect(started.output()).toContain('stopped.');
  }, 30_000);
});
