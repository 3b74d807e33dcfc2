// The runtime check: the built @wooapi/client and @wooapi/webhooks (as published: scripts/stage.mjs copies the
// packed packages next to this file) end to end against a loopback store this script starts (store.mjs). Plain ESM
// and node:assert, no test framework: `node check.mjs`, `bun check.mjs`, `deno run -A check.mjs`.
// Prints one line per case, then `RESULT <json>` (every case's outcome, for the comparison with Node's) and exits 1
// when a case failed. Reads the recorded OAuth requests and webhook deliveries of ../shared (WOOAPI_SHARED, or the
// path in WOOAPI_SHARED_DEFAULT that the runner passes); says so and skips those when it is absent.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as client from '@wooapi/client';
import * as oauth from '@wooapi/client/oauth';
import * as webhooks from '@wooapi/webhooks';
import { clientCases, oauthVectors, webhookCases } from './cases.mjs';
import { vectorsExpected } from './expected.mjs';
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

const store = await startStore();
const cases = [
  ...clientCases({ client, url: store.url, otherUrl: store.otherUrl, refusedUrl: store.refusedUrl, runtime }),
  {
    name: `OAuth vectors: the client tests' cases against oauth-1.0a, and ${examples.length} requests a real store accepted`,
    expect: vectorsExpected(examples),
    run: () => oauthVectors(oauth, examples),
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
