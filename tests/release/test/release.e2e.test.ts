// The release, for real, on loopback: `changeset version` and `changeset publish` (the README's release
// commands) in a copy of the repo publish every @wooapi/* package to a throwaway Verdaccio on 127.0.0.1; then a
// project in a fresh temp folder, outside the workspace, installs them with npm from it and uses them as the
// README's Install section says, code blocks taken from the README itself.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanEnv,
  copyRepo,
  expectOk,
  pnpmShim,
  type Registry,
  readmeBlocks,
  repoRoot,
  run,
  startRegistry,
} from './helpers.js';

const PUBLISHED = [
  '@wooapi/spec',
  '@wooapi/types',
  '@wooapi/client',
  '@wooapi/webhooks',
  '@wooapi/mock',
  '@wooapi/docs',
  '@wooapi/cli',
];
const work = mkdtempSync(join(tmpdir(), 'wooapi-release-'));
const copy = join(work, 'repo');
const consumer = join(work, 'consumer');
const changeset = join(repoRoot, 'tests/release/node_modules/@changesets/cli/bin.js');
const blocks = readmeBlocks();
let registry: Registry | undefined;
let version = '';
const timings: Record<string, number> = {};
const integrity = new Map<string, string>();

async function timed<T>(name: string, f: () => Promise<T>): Promise<T> {
  const t = Date.now();
  try {
    return await f();
  } finally {
    timings[name] = Math.round((Date.now() - t) / 100) / 10;
  }
}

const block = (name: string) => {
  const text = blocks.get(name);
  if (!text) throw new Error(`README.md has no block marked <!-- release-check: ${name} -->`);
  return text;
};
const npm = (args: string[], timeoutMs = 300_000) =>
  run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: consumer,
    env: cleanEnv(),
    timeoutMs,
  });
const npx = (args: string[]) => run('npx', ['--no-install', ...args], { cwd: consumer, env: cleanEnv() });

beforeAll(async () => {
  const reg = await timed('registry', () => startRegistry(join(work, 'registry')));
  registry = reg;
  await timed('copy', async () => copyRepo(copy));
  const host = reg.url.replace(/^http:/, '');
  writeFileSync(join(copy, '.npmrc'), `registry=${reg.url}\n${host}:_authToken=${reg.token}\n`);
  const shim = pnpmShim(join(work, 'bin'));
  const env = cleanEnv({ PATH: `${shim.dir}:${process.env.PATH}`, npm_config_registry: reg.url });
  // pnpm publish resolves `workspace:` from the installed workspace: install it (offline, from the store).
  await timed('install copy', async () =>
    expectOk(
      await run(
        shim.pnpm[0]!,
        [...shim.pnpm.slice(1), 'install', '--offline', '--frozen-lockfile', '--ignore-scripts'],
        { cwd: copy, env },
      ),
      'pnpm install in the copy',
    ),
  );
  await timed('changeset version', async () =>
    expectOk(await run(process.execPath, [changeset, 'version'], { cwd: copy, env }), 'changeset version'),
  );
  version = (
    JSON.parse(readFileSync(join(copy, 'packages/client/package.json'), 'utf8')) as { version: string }
  ).version;
  await timed('changeset publish', async () =>
    expectOk(await run(process.execPath, [changeset, 'publish'], { cwd: copy, env }), 'changeset publish'),
  );

  // The consumer: outside the workspace, @wooapi/* only from the local registry, the rest from npm's registry.
  mkdirSync(join(consumer, 'src'), { recursive: true });
  writeFileSync(
    join(consumer, 'package.json'),
    `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  writeFileSync(join(consumer, '.npmrc'), `@wooapi:registry=${reg.url}\n`);
  const named = block('install')
    .split('\n')
    .filter((l) => l.startsWith('npm install'))
    .flatMap((l) => l.replace(/#.*$/, '').trim().split(/\s+/).slice(2))
    .filter((w) => !w.startsWith('-'));
  expect(named.sort()).toEqual([...PUBLISHED].filter((p) => p !== '@wooapi/spec').sort());
  await timed('npm install', async () =>
    expectOk(
      await npm([
        'install',
        '--prefer-offline',
        ...named,
        'typescript@5.9.3',
        'esbuild@0.28.2',
        '@types/node@20',
      ]),
      'npm install',
    ),
  );
  writeFileSync(
    join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noUncheckedIndexedAccess: true,
        verbatimModuleSyntax: true,
        skipLibCheck: true,
        types: ['node'],
        rootDir: 'src',
        outDir: 'dist',
      },
      include: ['src'],
    }),
  );
});

afterAll(async () => {
  await registry?.stop();
  console.log(`release check timings (s): ${JSON.stringify(timings)}`);
  rmSync(work, { recursive: true, force: true });
});

describe('a release published to a local registry', () => {
  it('bumps every published package together and rewrites workspace: and catalog: in what it publishes', async () => {
    expect(version).not.toBe(
      (
        JSON.parse(readFileSync(join(repoRoot, 'packages/client/package.json'), 'utf8')) as {
          version: string;
        }
      ).version,
    );
    for (const name of PUBLISHED) {
      const res = await fetch(`${registry!.url}${name.replace('/', '%2f')}`);
      expect(res.status, name).toBe(200);
      const doc = (await res.json()) as {
        versions: Record<
          string,
          { dependencies?: Record<string, string>; peerDependencies?: Record<string, string> }
        >;
      };
      const published = doc.versions[version] as (typeof doc.versions)[string] & {
        dist?: { integrity?: string };
      };
      expect(published, `${name}@${version}`).toBeDefined();
      integrity.set(name, published?.dist?.integrity ?? '');
      const ranges = Object.values({ ...published?.dependencies, ...published?.peerDependencies });
      expect(
        ranges.filter((r) => /^(workspace|catalog):/.test(r)),
        name,
      ).toEqual([]);
      for (const [dep, range] of Object.entries(published?.dependencies ?? {})) {
        if (dep.startsWith('@wooapi/')) expect(range, `${name} -> ${dep}`).toBe(version);
      }
    }
  });

  it('installs into a project outside the workspace that can see nothing of the monorepo', () => {
    expect(consumer.startsWith(repoRoot)).toBe(false);
    const lock = JSON.parse(readFileSync(join(consumer, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; integrity?: string; link?: boolean }>;
    };
    for (const name of PUBLISHED) {
      // The installed tarball is the one this release published: same version, same integrity, not a link.
      const entry = lock.packages[`node_modules/${name}`];
      expect(entry?.version, name).toBe(version);
      expect(entry?.link, name).toBeUndefined();
      expect(entry?.integrity, name).toBe(integrity.get(name));
    }
    // No symlink and no real path anywhere in node_modules leads into the repository.
    const offenders: string[] = [];
    const walk = (dir: string, depth: number) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        const st = lstatSync(p);
        if (st.isSymbolicLink() && realpathSync(p).startsWith(repoRoot)) offenders.push(p);
        else if (st.isDirectory() && depth < 3) walk(p, depth + 1);
      }
    };
    walk(join(consumer, 'node_modules'), 0);
    expect(offenders).toEqual([]);
    for (const name of PUBLISHED)
      expect(realpathSync(join(consumer, 'node_modules', name)).startsWith(consumer)).toBe(true);
  });

  it("generates the README's overlay example with wooapi generate", async () => {
    writeFileSync(join(consumer, 'store.overlay.yaml'), block('store.overlay.yaml'));
    const command = block('generate').trim().split(/\s+/);
    expect(command.slice(0, 2)).toEqual(['npx', 'wooapi']);
    const gen = expectOk(await timed('wooapi generate', () => npx(command.slice(1))), 'wooapi generate');
    expect(gen.stdout).toContain('lint     passed');
    expect(gen.stdout).toMatch(/done: \d+ paths \(\+1\), \d+ operations \(\+1\), \d+ schemas \(\+1\)/);
    for (const f of ['openapi.json', 'types.d.ts', 'types.js', 'webhooks.ts'])
      expect(existsSync(join(consumer, 'src/woo', f)), f).toBe(true);
    expect(readFileSync(join(consumer, 'src/woo/types.d.ts'), 'utf8')).toMatch(
      /^\/\/ Generated by `wooapi generate`.*Do not edit/,
    );
  });

  it("compiles the README's programs and the extension's under strict TypeScript, and rejects misuse", async () => {
    writeFileSync(join(consumer, 'src/first.ts'), block('src/first.ts'));
    writeFileSync(join(consumer, 'src/webhook.ts'), block('src/webhook.ts'));
    writeFileSync(join(consumer, 'src/badges.ts'), block('src/badges.ts'));
    // The new field and route type-check (badges.ts), and a wrong use of them does not.
    writeFileSync(
      join(consumer, 'src/badges-misuse.ts'),
      "import { createWooClient } from '@wooapi/client';\nimport type { paths } from './woo/types.js';\n" +
        "const woo = createWooClient<paths>({ url: 'https://shop.example.com', consumerKey: 'ck', consumerSecret: 'cs' });\n" +
        "const { data } = await woo.GET('/products/{id}/badges', { params: { path: { id: 1 } } });\n" +
        '// @ts-expect-error label is a string\nexport const n: number = data[0]!.label;\n' +
        "// @ts-expect-error the path takes an id\nawait woo.GET('/products/{id}/badges', { params: { path: {} } });\n" +
        "const published = createWooClient({ url: 'https://shop.example.com', consumerKey: 'ck', consumerSecret: 'cs' });\n" +
        "// @ts-expect-error the published paths know no badges route\nawait published.GET('/products/{id}/badges', { params: { path: { id: 1 } } });\n",
    );
    expectOk(await timed('tsc', () => npx(['tsc', '-p', 'tsconfig.json'])), 'tsc');
  });

  it('runs the first program against startMock', async () => {
    const first = expectOk(
      await run(process.execPath, ['dist/first.js'], { cwd: consumer }),
      'node dist/first.js',
    );
    expect(first.stdout).toMatch(/^\d+ products, the first is "[^"]+"; created #\d+$/m);
  });

  it('runs the webhook program: a signed delivery from the mock reaches the typed handler', async () => {
    const webhook = expectOk(
      await run(process.execPath, ['dist/webhook.js'], { cwd: consumer }),
      'node dist/webhook.js',
    );
    expect(webhook.stdout).toMatch(/^delivered: true \(200\); received order #\d+ \(\w+\)$/m);
  });

  it('runs the extension program: the mock of the extended spec answers the new route', async () => {
    const badges = expectOk(
      await run(process.execPath, ['dist/badges.js'], { cwd: consumer }),
      'node dist/badges.js',
    );
    expect(badges.stdout).toMatch(/^product #\d+ badge .+; badges: Bestseller; product\.updated$/m);
  });

  it('builds the docs of the extended spec, listing the new route', async () => {
    const docs = expectOk(
      await timed('wooapi docs', () =>
        npx(['wooapi', 'docs', '--spec', 'src/woo/openapi.json', '--out', 'site']),
      ),
      'wooapi docs',
    );
    expect(docs.stdout).toMatch(/\d+ operations/);
    const site = JSON.parse(readFileSync(join(consumer, 'site/openapi.json'), 'utf8')) as {
      paths: Record<string, { get?: { operationId?: string } }>;
    };
    expect(site.paths['/products/{id}/badges']?.get?.operationId).toBe('listProductBadges');
    const guides = readdirSync(join(consumer, 'site/guides'))
      .map((f) => readFileSync(join(consumer, 'site/guides', f), 'utf8'))
      .join('\n');
    expect(guides).toContain('data-operation-id="listProductBadges"');
  });

  it('runs npx wooapi-mock --help', async () => {
    const help = expectOk(await npx(['wooapi-mock', '--help']), 'npx wooapi-mock --help');
    expect(help.stdout).toContain('wooapi-mock [mock] [--port N]');
  });

  it('bundles the client for the browser with esbuild, with nothing Node-only in it', async () => {
    writeFileSync(
      join(consumer, 'src/browser.ts'),
      "import { createWooClient } from '@wooapi/client';\n" +
        "export const woo = createWooClient({ url: 'https://shop.example.com', consumerKey: 'ck_x', consumerSecret: 'cs_x' });\n",
    );
    const out = join(consumer, 'browser.js');
    expectOk(
      await npx([
        'esbuild',
        'src/browser.ts',
        '--bundle',
        '--platform=browser',
        '--format=esm',
        `--outfile=${out}`,
      ]),
      'esbuild',
    );
    const bundle = readFileSync(out, 'utf8');
    expect(bundle).toContain('wp-json/wc/v3');
    expect(bundle).not.toMatch(/from ["']node:|require\(["']node:/);
  });

  it('loads the ESM-only client with require() where Node supports require(esm), else says it is ESM', async () => {
    const probe = await run(
      process.execPath,
      ['-e', "const c = require('@wooapi/client'); console.log(typeof c.createWooClient)"],
      { cwd: consumer },
    );
    if (process.features.require_module) {
      expectOk(probe, 'require(@wooapi/client)');
      expect(probe.stdout.trim()).toBe('function');
    } else {
      expect(probe.code).not.toBe(0);
      expect(probe.stderr).toContain('ERR_REQUIRE_ESM');
    }
  });
});
