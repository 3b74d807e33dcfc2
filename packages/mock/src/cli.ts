import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { wpSpecialcharsDecode } from '@wooapi/webhooks';
import type { MockApi } from './apis.js';
import { diffIndex, fetchIndex, formatDiff, readIndexFile } from './diff.js';
import { startMock } from './mock.js';
import { startProxy } from './proxy.js';
import { sendWebhook } from './send-webhook.js';
import { bundledSpecPath, readSpec } from './spec.js';

const HELP = `wooapi-mock: the WooCommerce REST API (wc/v3) spec, served by Prism

  wooapi-mock [mock] [--port N] [--host H] [--dynamic] [--errors] [--verbose] [--spec FILE] [--api wc-v3|legacy-v2]
      A mock store. Static answers use the spec's examples; --dynamic generates data from the schemas.
      --verbose logs every request. Steer one request with a header: "Prefer: code=404", "Prefer: example=NAME", "Prefer: dynamic=true".

  wooapi-mock proxy --upstream URL [--port N] [--host H] [--json FILE] [--no-validate-request] [--spec FILE]
      A validating proxy in front of a live store: send your requests to it, and it reports every request or
      response that breaks the spec (live, and in full on Ctrl-C; --json writes the report as JSON).

  wooapi-mock diff (--store URL [--key K --secret S] | --index FILE) [--json] [--include-internal] [--spec FILE]
      Compares a store's route index (GET /wp-json/wc/v3?context=help) with the spec: routes, methods,
      parameters and resource properties that one has and the other lacks. The key and secret may also come
      from WOOCOMMERCE_KEY and WOOCOMMERCE_SECRET (better than the command line, which other users can see).

  wooapi-mock send-webhook --url URL --topic TOPIC --secret SECRET [--payload FILE] [--webhook-id N]
                           [--delivery-id ID] [--source URL] [--spec FILE]
      Delivers one webhook to your receiver exactly as a WooCommerce 11.0.1 store does (body, X-WC-Webhook-*
      headers, signature, user agent), then says whether the store would count it as delivered (exit 0) or
      failed (exit 1). The body is the spec's example for TOPIC unless --payload names a JSON file. TOPIC is a
      webhook topic (order.created), action.<hook>, or ping. The secret may come from WC_WEBHOOK_SECRET instead.

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
      api: { type: 'string' },
    },
  });
  const port = values.port ?? process.env.MOCK_PORT ?? process.env.PORT;
  const server = await startMock({
    api: values.api as MockApi | undefined,
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

/** The receiver's answer, shortened, with the secret (as given and as signed with) masked should it be echoed. */
function answerText(body: string, secret: string): string {
  let text = body;
  for (const s of [secret, wpSpecialcharsDecode(secret)]) text = text.split(s).join('***');
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > 300 ? `${text.slice(0, 300)}...` : text;
}

async function sendWebhookCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      topic: { type: 'string' },
      secret: { type: 'string' },
      payload: { type: 'string' },
      'webhook-id': { type: 'string' },
      'delivery-id': { type: 'string' },
      source: { type: 'string' },
      spec: { type: 'string' },
    },
  });
  const secret = values.secret ?? process.env.WC_WEBHOOK_SECRET;
  if (!values.url) fail('send-webhook needs --url URL (your receiver)');
  if (!values.topic)
    fail('send-webhook needs --topic TOPIC (e.g. order.created, action.woocommerce_new_order, ping)');
  if (!secret) fail("send-webhook needs --secret SECRET (or WC_WEBHOOK_SECRET): the webhook's secret");
  let payload: unknown;
  if (values.payload) {
    let text: string;
    try {
      text = await readFile(values.payload, 'utf8');
    } catch (error) {
      fail(`cannot read --payload ${values.payload}: ${(error as Error).message}`);
    }
    try {
      payload = JSON.parse(text);
    } catch (error) {
      fail(`--payload ${values.payload} is not JSON: ${(error as Error).message}`);
    }
  }
  let webhookId: number | undefined;
  if (values['webhook-id'] !== undefined) {
    webhookId = Number(values['webhook-id']);
    if (!/^[1-9][0-9]*$/.test(values['webhook-id']) || !Number.isSafeInteger(webhookId))
      fail(`--webhook-id must be a positive integer, got "${values['webhook-id']}"`);
  }
  const sent = await sendWebhook({
    url: values.url,
    topic: values.topic,
    secret,
    payload,
    webhookId,
    deliveryId: values['delivery-id'],
    source: values.source,
    spec: values.spec,
  });
  const h = sent.request.headers;
  const delivery = h['X-WC-Webhook-Delivery-ID'] ? `, delivery ${h['X-WC-Webhook-Delivery-ID']}` : '';
  console.log(`${values.topic} -> ${values.url}: ${sent.request.rawBody.length} bytes${delivery}`);
  console.log(`  answer: ${sent.status}${sent.body ? ` ${answerText(sent.body, secret)}` : ''}`);
  const rule = values.topic === 'ping' ? 'exactly 200' : '200-302';
  console.log(
    sent.ok
      ? `  delivered: WooCommerce would count this delivery as successful (${rule}).`
      : `  failed: WooCommerce would count this delivery as failed (it needs ${rule}).`,
  );
  if (!sent.ok) process.exitCode = 1;
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
  if (first === 'send-webhook') return sendWebhookCommand(rest);
  if (first === undefined || first.startsWith('-')) return mock(process.argv.slice(2));
  fail(`unknown command "${first}" (expected mock, proxy, diff or send-webhook)`);
}

main().catch((error: Error) => fail(error.message));
