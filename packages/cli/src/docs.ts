// `wooapi docs`: the project's one docs builder (@wooapi/docs) on the user's extended spec.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError } from './errors.js';
import { readBaseSpec } from './spec.js';

export interface DocsOptions {
  spec?: string;
  out?: string;
  serve?: boolean;
  port?: number;
  log?: (line: string) => void;
}

export interface DocsSite {
  siteDir: string;
  operations: number;
  topics: number;
  url?: string;
  close: () => Promise<void>;
}

type Builder = {
  build: (o: { siteDir: string; bundle: unknown }) => { operations: number; topics: number; guides: number };
};
type Server = {
  serveSite: (o: { root: string; port: number }) => Promise<{ url: string; close: () => Promise<void> }>;
};

/**
 * @wooapi/docs brings the Scalar reference (~150 MB), so the CLI does not depend on it: it is loaded from the
 * user's project (their `npm install -D @wooapi/docs`), else from beside the CLI.
 */
async function loadDocs(): Promise<Builder & Server> {
  const name = '@wooapi/docs';
  const from = [pathToFileURL(join(process.cwd(), 'package.json')).href, import.meta.url];
  for (const base of from) {
    let build: string;
    let serve: string;
    try {
      const require = createRequire(base);
      build = require.resolve(`${name}/build`);
      serve = require.resolve(`${name}/serve`);
    } catch {
      continue;
    }
    const [builder, server] = await Promise.all([
      import(pathToFileURL(build).href),
      import(pathToFileURL(serve).href),
    ]);
    return { build: (builder as Builder).build, serveSite: (server as Server).serveSite };
  }
  throw new CliError(
    'wooapi docs needs the docs builder: npm install -D @wooapi/docs (the same version as @wooapi/cli).',
  );
}

export async function docs(options: DocsOptions): Promise<DocsSite> {
  const log = options.log ?? ((line: string) => console.log(line));
  const { build, serveSite } = await loadDocs();
  if (!options.out && !options.serve)
    throw new CliError('wooapi docs needs --out DIR or --serve (or both).', 2);
  const base = readBaseSpec(options.spec);
  const temp = options.out ? undefined : mkdtempSync(join(tmpdir(), 'wooapi-docs-'));
  const siteDir = options.out ? resolve(options.out) : (temp as string);
  let result: { operations: number; topics: number; guides: number };
  try {
    result = build({ siteDir, bundle: base.doc });
  } catch (error) {
    if (temp) rmSync(temp, { recursive: true, force: true });
    throw new CliError(`The docs build of ${base.label} failed: ${(error as Error).message}`);
  }
  log(
    `wooapi docs: ${base.label}: ${result.operations} operations, ${result.topics} webhook topics, ${result.guides} guides -> ${siteDir}`,
  );
  const cleanup = () => {
    if (temp) rmSync(temp, { recursive: true, force: true });
  };
  if (!options.serve)
    return { siteDir, operations: result.operations, topics: result.topics, close: async () => cleanup() };
  const site = (await serveSite({ root: siteDir, port: options.port ?? 0 })) as {
    url: string;
    close: () => Promise<void>;
  };
  log(`  serving ${site.url}/   (Ctrl-C stops it)`);
  return {
    siteDir,
    operations: result.operations,
    topics: result.topics,
    url: site.url,
    close: async () => {
      await site.close();
      cleanup();
    },
  };
}
