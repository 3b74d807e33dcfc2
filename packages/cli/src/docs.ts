// `wooapi docs`: the project's one docs builder (@wooapi/docs) on the user's extended spec.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
// @ts-expect-error: @wooapi/docs is plain ESM without declarations; the two calls below are its whole API here.
import { build } from '@wooapi/docs/build';
// @ts-expect-error: see above.
import { serveSite } from '@wooapi/docs/serve';
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

export async function docs(options: DocsOptions): Promise<DocsSite> {
  const log = options.log ?? ((line: string) => console.log(line));
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
