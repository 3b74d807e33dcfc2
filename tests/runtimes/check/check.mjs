// The runtime check: the built @wooapi/client and @wooapi/webhooks (as published: scripts/stage.mjs copies the
// packed packages next to this file) end to end against a loopback store this script starts (store.mjs). Plain ESM
// and node:assert, no test framework: `node check.mjs`, `bun check.mjs`, `deno run -A check.mjs`.
// Prints one line per case, then `RESULT <json>` (every case's outcome, for the comparison with Node's) and exits 1
// when a case failed. Reads the recorded OAuth requests and webhook deliveries of ../shared (WOOAPI_SHARED, or the
// path in WOOAPI_SHARED_DEFAULT that the runner passes); says so and skips those when it is absent.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import * as client from '@wooapi/client';
import * as oauth from '@wooapi/client/oauth';
import * as webhooks from '@wooapi/webhooks';
import { createNodeWebhookHandler } from '@wooapi/webhooks/node';
import { clientCases, forge, oauthVectors, requestHeaders, webhookCases } from './cases.mjs';
import { syntheticDelivery, vectorsExpected } from './expected.mjs';
import { PRODUCT } from './fixtures.mjs';
import { startStore } from './store.mjs';

const runtime = globalThis.Bun ? 'bun' : globalThis.Deno ? 'deno' : 'node';
const version = globalThis.Bun?.version ?? globalThis.Deno?.version.deno ?? process.versions.node;
const shared = process.env.WOOAPI_SHARED ?? process.env.WOOAPI_SHARED_DEFAULT;
const recorded = shared && join(shared, 'reference/recorded-11.0.1');
const examplesFile = recorded && join(recorded, 'oauth-examples.json');
const webhooksFile = recorded && join(recorded, 'webhooks.jsonl');
const skipped = [];

// The whole check is bounded: a case that hangs fails it instead of stalling CI.
const watchdog = setTimeout(() => {
  console.log(`not ok - the check did not finish within 120 s under ${runtime}`);
  process.exit(1);
}, 120_000);

const examples =
  examplesFile && existsSync(examplesFile) ? JSON.parse(readFileSync(examplesFile, 'utf8')).examples : [];
if (!examples.length)
  skipped.push(
    `recorded OAuth requests skipped: ${examplesFile ?? '../shared'} not found (set WOOAPI_SHARED)`,
  );
const deliveries =
  webhooksFile && existsSync(webhooksFile)
    ? readFileSync(webhooksFile, 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => {
          const d = JSON.parse(l);
          return { ...d, body: new Uint8Array(Buffer.from(d.body_base64, 'base64')) };
        })
    : [];
if (!deliveries.length)
  skipped.push(
    `recorded webhook deliveries skipped: ${webhooksFile ?? '../shared'} not found (set WOOAPI_SHARED)`,
  );

/**
 * Serve a webhook handler with this runtime's own HTTP server: Bun.serve or Deno.serve with the Fetch handler (as the
 * webhooks README shows for Bun and Deno), node:http with the Node adapter under Node.
 */
async function serveWebhooks(options) {
  if (globalThis.Bun) {
    const server = Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: webhooks.createWebhookHandler(options),
    });
    return { url: `http://127.0.0.1:${server.port}`, close: () => server.stop(true) };
  }
  if (globalThis.Deno) {
    const ready = Promise.withResolvers();
    const server = Deno.serve(
      { hostname: '127.0.0.1', port: 0, onListen: ({ port }) => ready.resolve(port) },
      webhooks.createWebhookHandler(options),
    );
    return { url: `http://127.0.0.1:${await ready.promise}`, close: () => server.shutdown() };
  }
  const server = createServer(createNodeWebhookHandler(options));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r) => server.close(r)),
  };
}

/** Signed deliveries (the synthetic one, and the recorded ones) POSTed to the runtime's own server. */
async function servedCase() {
  const signed = [syntheticDelivery(), ...deliveries.filter((d) => !d.is_ping)].map((d) => ({
    ...d,
    body: d.body ?? new Uint8Array(Buffer.from(d.body_base64, 'base64')),
  }));
  const secrets = [...new Set(signed.map((d) => d.secret))];
  const server = await serveWebhooks({ secret: secrets, fallback: () => {} });
  try {
    const post = async (d, body) => {
      const r = await fetch(`${server.url}/hook`, {
        method: 'POST',
        headers: requestHeaders(d.headers),
        body,
      });
      const b = await r.json();
      return `${r.status} ${b.ok ? `${b.kind} handled=${b.handled}` : b.error}`;
    };
    const tally = {};
    for (const d of signed)
      for (const a of [await post(d, d.body), await post(d, forge(d.body))]) tally[a] = (tally[a] ?? 0) + 1;
    // Over the default 1 MiB limit: refused as the body streams in.
    tally[await post(signed[0], new Uint8Array(1024 * 1024 + 1).fill(0x20))] = 1;
    return tally;
  } finally {
    await server.close();
  }
}

const store = await startStore();
const cases = [
  ...clientCases({ client, url: store.url, otherUrl: store.otherUrl, refusedUrl: store.refusedUrl, runtime }),
  {
    name: `OAuth vectors: the client tests' cases against oauth-1.0a, and ${examples.length} requests a real store accepted`,
    expect: vectorsExpected(examples),
    run: () => oauthVectors(oauth, examples),
  },
  {
    name: "webhooks served by the runtime's own server (Bun.serve, Deno.serve; node:http and the Node adapter under Node): signed, forged, over 1 MiB",
    expect: {
      '200 event handled=true': 1 + deliveries.filter((d) => !d.is_ping).length,
      '401 invalid_signature': 1 + deliveries.filter((d) => !d.is_ping).length,
      '413 body_too_large': 1,
    },
    run: servedCase,
  },
  {
    // The client's deadline timer must not keep a process alive (under Node it is unref'd; Deno and Bun differ).
    name: 'a program that made one request (default 30 s timeout) exits by itself at once',
    expect: { code: 0, data: PRODUCT, prompt: true },
    run: () =>
      new Promise((resolve) => {
        const started = Date.now();
        const args = runtime === 'deno' ? ['run', '--allow-all', '--quiet', 'exit.mjs'] : ['exit.mjs'];
        const child = spawn(process.execPath, [...args, store.url], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.on('close', (code) =>
          resolve({ code, data: out ? JSON.parse(out) : null, prompt: Date.now() - started < 10_000 }),
        );
      }),
  },
  {
    // The `node` export condition (Node, Bun and Deno honour it) loads the node:crypto entry.
    name: '@wooapi/webhooks resolves to its node entry',
    perRuntime: true,
    expect: { entry: 'index.node.js' },
    run: () => ({ entry: import.meta.resolve('@wooapi/webhooks').split('/').pop() }),
  },
  ...(deliveries.length ? webhookCases({ webhooks, deliveries }) : []),
];

const results = {};
let failed = 0;
console.log(`# ${runtime} ${version}: ${cases.length} cases`);
for (const s of skipped) console.log(`# ${s}`);
for (const c of cases) {
  let outcome;
  try {
    outcome = await c.run();
    assert.deepStrictEqual(JSON.parse(JSON.stringify(outcome)), c.expect);
    console.log(`ok - ${c.name}`);
  } catch (e) {
    failed++;
    console.log(
      `not ok - ${c.name}\n  ${String(e?.message ?? e)
        .split('\n')
        .join('\n  ')}`,
    );
  }
  results[c.name] = {
    outcome: outcome === undefined ? null : JSON.parse(JSON.stringify(outcome)),
    perRuntime: !!c.perRuntime,
  };
}
await store.close();
clearTimeout(watchdog);
console.log(`RESULT ${JSON.stringify({ runtime, version, failed, skipped, results })}`);
process.exit(failed ? 1 : 0);
