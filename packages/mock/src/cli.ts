import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { diffIndex, fetchIndex, formatDiff, readIndexFile } from './diff.js';
import { startMock } from './mock.js';
import { startProxy } from './proxy.js';
import { bundledSpecPath, readSpec } from './spec.js';

const HELP = `wooapi-mock: the WooCommerce REST API (wc/v3) spec, served by Prism

  wooapi-mock [mock] [--port N] [--host H] [--dynamic] [--errors] [--verbose] [--spec FILE]
      A mock store. Static answers use the spec's examples; --dynamic generates data from the schemas.
      --verbose logs every request. Steer one request with a header: "Prefer: code=404", "Prefer: example=NAME", "Prefer: dynamic=true".

  wooapi-mock proxy --upstream URL [--port N] [--host H] [--json FILE] [--no-validate-request] [--spec FILE]
      A validating proxy in front of a live store: send your requests to it, and it reports every request or
      response that breaks the spec (live, and in full on Ctrl-C; --json writes the report as JSON).

  wooapi-mock diff (--store URL [--key K --secret S] | --index FILE) [--json] [--include-internal] [--spec FILE]
      Compares a store's route index (GET /wp-json/wc/v3?context=help) with the spec: routes, methods,
      parameters and resource properties that one has and the other lacks. The key and secret may also come
      from WOOCOMMERCE_KEY and WOOCOMMERCE_SECRET (better than the command line, which other users can see).

Port and host default to a free port on 127.0.0.1 (PORT or MOCK_PORT set the port).`;

function fail(message: string): never {
  console.error(`wooapi-mock: ${message}\nRun wooapi-mock --help for usage.`);
  process.exit(2);
}

function portArg(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    fail(`the port must be an integer from 0 to 65535, got "${value}"`);
  return n;
}

function onStop(stop: () => Promise<void>, before?: () => Promise<void> | void): void {
  let stopping = false;
  const handler = async () => {
    if (stopping) return;
    stopping = true;
    await before?.();
    await stop();
    process.exit(0);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

async function mock(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      dynamic: { type: 'boolean', default: false },
      errors: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      spec: { type: 'string' },
    },
  });
  const port = values.port ?? process.env.MOCK_PORT ?? process.env.PORT;
  const server = await startMock({
    verbose: values.verbose ? 'info' : 'warn',
    port: portArg(port),
    host: values.host,
    dynamic: values.dynamic,
    errors: values.errors,
    spec: values.spec,
    onLog: (line) => console.error(line),
  });
  console.log(`wooapi mock (Prism, ${values.dynamic ? 'dynamic' : 'static'} answers) at ${server.url}`);
  console.log(`  API root: ${server.apiUrl}    e.g. curl -u ck_test:cs_test ${server.apiUrl}/products`);
  console.log('  Ctrl-C stops it.');
  onStop(server.stop);
}

async function proxy(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      upstream: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      json: { type: 'string' },
      'no-validate-request': { type: 'boolean', default: false },
      spec: { type: 'string' },
    },
  });
  if (!values.upstream) fail('proxy needs --upstream URL (the store root, e.g. https://shop.example.com)');
  const port = values.port ?? process.env.MOCK_PORT ?? process.env.PORT;
  const server = await startProxy({
    upstream: values.upstream,
    port: portArg(port),
    host: values.host,
    spec: values.spec,
    validateRequest: !values['no-validate-request'],
    onViolation: (entry) => {
      console.log(`✖ ${entry.method} ${entry.path} -> ${entry.status}`);
      for (const v of entry.violations) console.log(`    ${v.location || '(whole)'}: ${v.message}`);
    },
  });
  console.log(`wooapi proxy at ${server.url}, checking ${values.upstream} against the spec`);
  console.log(`  Send requests to ${server.apiUrl}/...; Ctrl-C prints the report.`);
  onStop(server.stop, async () => {
    console.log(`\n${server.formatReport()}`);
    if (values.json) {
      await writeFile(values.json, `${JSON.stringify(server.report(), null, 2)}\n`);
      console.log(`JSON report written to ${values.json}`);
    }
  });
}

async function diff(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      store: { type: 'string' },
      key: { type: 'string' },
      secret: { type: 'string' },
      index: { type: 'string' },
      spec: { type: 'string' },
      json: { type: 'boolean', default: false },
      'include-internal': { type: 'boolean', default: false },
    },
  });
  if (!values.store === !values.index) fail('diff needs exactly one of --store URL or --index FILE');
  const key = values.key ?? process.env.WOOCOMMERCE_KEY;
  const secret = values.secret ?? process.env.WOOCOMMERCE_SECRET;
  if (!key !== !secret) fail('diff needs both --key and --secret (or neither)');
  const index = values.index
    ? await readIndexFile(values.index)
    : await fetchIndex(values.store!, key && secret ? { key, secret } : undefined);
  const doc = await readSpec(values.spec ?? bundledSpecPath());
  const result = diffIndex(index, doc, { includeInternal: values['include-internal'] });
  console.log(values.json ? JSON.stringify(result, null, 2) : formatDiff(result));
}

async function main(): Promise<void> {
  const [first, ...rest] = process.argv.slice(2);
  if (first === '--help' || first === '-h' || first === 'help') return console.log(HELP);
  if (first === '--version') {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    return console.log(pkg.version);
  }
  if (first === 'proxy') return proxy(rest);
  if (first === 'diff') return diff(rest);
  if (first === 'mock') return mock(rest);
  if (first === undefined || first.startsWith('-')) return mock(process.argv.slice(2));
  fail(`unknown command "${first}" (expected mock, proxy or diff)`);
}

main().catch((error: Error) => fail(error.message));
