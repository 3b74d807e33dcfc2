// wooapi's promise, as a test: one edit to spec/ reaches every surface through one `turbo run build`. The edit is
// made in a copy of the repository, so the working tree is never touched.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const OLD = 'purchase_note';
const NEW = 'purchase_message';
const SKIP_DIRS = new Set([
  'node_modules',
  'dist',
  '.turbo',
  '.test-report',
  'test-results',
  'site',
  'generated',
  '.git',
]);
let copy = '';

function workspaceDirs(root: string): string[] {
  return [
    '',
    'spec',
    ...['packages', 'apps', 'tests'].flatMap((d) =>
      existsSync(join(root, d)) ? readdirSync(join(root, d)).map((n) => join(d, n)) : [],
    ),
  ];
}

function linkModules(from: string, to: string): void {
  if (!existsSync(from)) return;
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const src = join(from, name);
    if (name.startsWith('@') && !lstatSync(src).isSymbolicLink()) {
      linkModules(src, join(to, name));
      continue;
    }
    const target = realpathSync(src);
    const inRepo = relative(repo, target);
    const isWorkspace = !inRepo.startsWith('..') && !inRepo.split('/').includes('node_modules');
    symlinkSync(isWorkspace ? join(copy, inRepo) : target, join(to, name));
  }
}

function tsc(dir: string, source: string): { ok: boolean; out: string } {
  writeFileSync(join(dir, 'check.ts'), source);
  const r = spawnSync(
    process.execPath,
    [
      join(repo, 'node_modules/typescript/bin/tsc'),
      '--noEmit',
      '--strict',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2022',
      '--skipLibCheck',
      'check.ts',
    ],
    { cwd: dir, encoding: 'utf8' },
  );
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'wooapi-propagation-'));
  cpSync(repo, copy, {
    recursive: true,
    filter: (src) => !SKIP_DIRS.has(src.split('/').pop() ?? ''),
  });
  // Reuse the installed dependencies, but point every workspace link (@wooapi/*) at the copy, so that each
  // package compiles and runs against the copy's freshly built neighbours, never the repository's.
  symlinkSync(join(repo, 'node_modules'), join(copy, 'node_modules'), 'dir');
  for (const dir of workspaceDirs(repo).filter(Boolean))
    linkModules(join(repo, dir, 'node_modules'), join(copy, dir, 'node_modules'));
  // The edit a user would make: rename one Product field in the schema and every example that shows it.
  const specFiles = execFileSync(
    'grep',
    ['-rl', OLD, join(copy, 'spec/components'), join(copy, 'spec/paths')],
    {
      encoding: 'utf8',
    },
  )
    .trim()
    .split('\n');
  expect(specFiles.length).toBeGreaterThan(3);
  for (const f of specFiles) writeFileSync(f, readFileSync(f, 'utf8').replaceAll(OLD, NEW));
  if (spawnSync('pnpm', ['--version']).status !== 0) {
    throw new Error(
      'turbo needs pnpm on PATH: run this test through `npx -y pnpm@10 test` (or `pnpm test`).',
    );
  }
  // One build, through turbo, with its own cache so nothing is replayed from the real repository.
  execFileSync(
    join(copy, 'node_modules/.bin/turbo'),
    ['run', 'build', '--cache-dir', join(copy, '.turbo-cache')],
    {
      cwd: copy,
      stdio: 'pipe',
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', REDOCLY_TELEMETRY: 'off' },
      // The build makes two documents (wc/v3 and the legacy v2) and every surface of each, on a shared 2-core box.
      timeout: 600_000,
    },
  );
});

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe('a spec edit reaches every surface through one build', () => {
  it('the generated types carry the new name, not the old one', () => {
    const dts = readFileSync(join(copy, 'packages/types/dist/index.d.ts'), 'utf8');
    expect(dts).toContain(`${NEW}?:`);
    expect(dts).not.toContain(`${OLD}?:`);
  });

  it("the client's compile-time checks follow: the old name no longer compiles in a body", () => {
    const dir = join(copy, 'packages/client');
    const use = (field: string) => `import { createWooClient } from '@wooapi/client';
const woo = createWooClient({ url: 'https://example.com', consumerKey: 'ck', consumerSecret: 'cs' });
export const run = () => woo.POST('/products', { body: { name: 'Mug', ${field}: 'Thanks!' } });
export const read = async () => (await woo.GET('/products/{id}', { params: { path: { id: 1 } } })).data.${field};
`;
    const ok = tsc(dir, use(NEW));
    expect(ok.out).toBe('');
    expect(ok.ok).toBe(true);
    const bad = tsc(dir, use(OLD));
    expect(bad.ok).toBe(false);
    expect(bad.out).toContain(OLD);
  });

  it('the webhook event types follow', () => {
    const dir = join(copy, 'packages/webhooks');
    const use = (field: string) => `import type { ProductCreatedEvent } from '@wooapi/webhooks';
export const note = (e: ProductCreatedEvent) => e.payload.${field};
`;
    expect(tsc(dir, use(NEW)).ok).toBe(true);
    expect(tsc(dir, use(OLD)).ok).toBe(false);
  });

  it("the mock's answers follow", async () => {
    const { startMock } = await import(pathToFileURL(join(copy, 'packages/mock/dist/index.js')).href);
    const mock = await startMock();
    try {
      const res = await fetch(`${mock.url}/wp-json/wc/v3/products/794`, {
        headers: { authorization: `Basic ${btoa('ck_test:cs_test')}` },
      });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toHaveProperty(NEW);
      expect(body).not.toHaveProperty(OLD);
    } finally {
      await mock.stop();
    }
  });

  it('the docs site follows', () => {
    const site = join(copy, 'apps/docs/site');
    const text = execFileSync('grep', ['-rl', NEW, site], { encoding: 'utf8' }).trim();
    expect(text.length).toBeGreaterThan(0);
    // legacy-v2/ documents the legacy API, whose own field keeps its v2 name; the wc/v3 rename must not reach it.
    const old = spawnSync('grep', ['-rlw', '--exclude-dir=legacy-v2', OLD, site], { encoding: 'utf8' });
    expect(old.stdout.trim()).toBe('');
  });
});
