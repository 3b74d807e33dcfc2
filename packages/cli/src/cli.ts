// The `wooapi` command: parse arguments, run one command, print its errors plainly.
import { parseArgs } from 'node:util';
import { CliError } from './errors.js';

const HELP = `wooapi: extend the WooCommerce REST API (wc/v3) spec for your store, without forking it

  wooapi generate --overlay store.overlay.yaml [--overlay more.yaml] --out src/woo/ [--spec base.json]
      Applies OpenAPI Overlay 1.0 documents to the published spec (@wooapi/spec), lints the result with the
      project's rules, and writes openapi.json, types.d.ts (paths, components, schema aliases, as @wooapi/types
      has them), types.js and webhooks.ts (webhook event types). Nothing is written unless all of it succeeds.

  wooapi diff (--store URL [--key K --secret S] | --index FILE) --emit-overlay draft.overlay.yaml [--spec FILE]
      Drafts an overlay from a store's route index (GET /wp-json/wc/v3?context=help): the routes and fields
      of your plugins first, each marked as drafted from the store's declaration; WooCommerce's own
      declared-schema differences after, as comments. Key and secret also from WOOCOMMERCE_KEY/WOOCOMMERCE_SECRET.

  wooapi docs [--spec src/woo/openapi.json] (--out DIR | --serve [--port N])
      The docs site (API reference with samples, guides) of the spec: built into DIR, or served on 127.0.0.1.

  wooapi --help | --version
`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(HELP);
    return;
  }
  if (command === '--version') {
    const { createRequire } = await import('node:module');
    console.log((createRequire(import.meta.url)('../package.json') as { version: string }).version);
    return;
  }
  const parse = (options: NonNullable<Parameters<typeof parseArgs>[0]>['options']) => {
    try {
      return parseArgs({ args: rest, options, allowPositionals: false, strict: true }).values as Record<
        string,
        string | string[] | boolean | undefined
      >;
    } catch (error) {
      throw new CliError(`${(error as Error).message}\nRun wooapi --help for the options.`, 2);
    }
  };
  if (command === 'generate') {
    const v = parse({
      overlay: { type: 'string', multiple: true },
      out: { type: 'string' },
      spec: { type: 'string' },
    });
    if (!v.out) throw new CliError('wooapi generate needs --out DIR (e.g. --out src/woo/).', 2);
    // Each command loads only what it needs: openapi-typescript and TypeScript are slow to load.
    const { generate } = await import('./generate.js');
    await generate({
      overlays: (v.overlay as string[] | undefined) ?? [],
      out: v.out as string,
      spec: v.spec as string | undefined,
    });
    return;
  }
  if (command === 'diff') {
    const v = parse({
      store: { type: 'string' },
      index: { type: 'string' },
      key: { type: 'string' },
      secret: { type: 'string' },
      spec: { type: 'string' },
      'emit-overlay': { type: 'string' },
    });
    if (!v['emit-overlay'])
      throw new CliError('wooapi diff needs --emit-overlay FILE (where the drafted overlay goes).', 2);
    const { draftFromStore } = await import('./diff.js');
    await draftFromStore({
      store: v.store as string | undefined,
      index: v.index as string | undefined,
      key: (v.key as string | undefined) ?? process.env.WOOCOMMERCE_KEY,
      secret: (v.secret as string | undefined) ?? process.env.WOOCOMMERCE_SECRET,
      spec: v.spec as string | undefined,
      emit: v['emit-overlay'] as string,
    });
    return;
  }
  if (command === 'docs') {
    const v = parse({
      spec: { type: 'string' },
      out: { type: 'string' },
      serve: { type: 'boolean' },
      port: { type: 'string' },
    });
    const port = v.port === undefined ? 0 : Number(v.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new CliError(`--port must be 0-65535, got "${v.port}".`, 2);
    const { docs } = await import('./docs.js');
    const site = await docs({
      spec: v.spec as string | undefined,
      out: v.out as string | undefined,
      serve: Boolean(v.serve),
      port,
    });
    if (v.serve) {
      await new Promise<void>((resolveStop) => {
        const stop = () => resolveStop();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await site.close();
      console.log('stopped.');
    }
    return;
  }
  throw new CliError(`Unknown command "${command}". Commands: generate, diff, docs (wooapi --help).`, 2);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof CliError) {
    console.error(`wooapi: ${error.message}`);
    process.exit(error.exitCode);
  }
  console.error(error);
  process.exit(1);
});
