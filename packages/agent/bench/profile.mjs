// Tool calls only, for `node --cpu-prof bench/profile.mjs session|mcp|bare|direct`: where the per-call time goes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createWooClient } from '@wooapi/client';
import { createGateway, createMcpServer } from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'wooapi-agent-profile-'));
const KEY = 'ck_bench0000000000000000000000000000000000';
const SECRET = 'cs_bench0000000000000000000000000000000000';
const mode = process.argv[2] ?? 'session';
const n = Number(process.argv[3] ?? 4000);
const worker = new Worker(resolve(here, 'store.mjs'), { workerData: { latency: 0 } });
const url = await new Promise((ok) => worker.once('message', (p) => ok(`http://127.0.0.1:${p}`)));
writeFileSync(join(dir, 'p.yaml'), 'agents:\n  ops: { resources: { products: read } }\n');
const gateway = createGateway({
  policy: join(dir, 'p.yaml'),
  env: { WOOCOMMERCE_URL: url, WOOCOMMERCE_KEY: KEY, WOOCOMMERCE_SECRET: SECRET },
  audit: join(dir, 'audit.jsonl'),
  client: { auth: 'basic', allowInsecureLoopback: true },
});
const session = gateway.session('ops');
let call;
if (mode === 'direct') {
  const direct = createWooClient({
    url,
    consumerKey: KEY,
    consumerSecret: SECRET,
    auth: 'basic',
    allowInsecureLoopback: true,
  });
  call = () => direct.GET('/products/{id}', { params: { path: { id: 794 } } });
} else if (mode === 'session') {
  call = () => session.call('get_product', { id: 794 });
} else {
  const [c, s] = InMemoryTransport.createLinkedPair();
  await createMcpServer(session).connect(s);
  const client = new Client({ name: 'profile', version: '1' });
  await client.connect(c);
  await client.listTools();
  call = () => client.callTool({ name: 'get_product', arguments: { id: 794 } });
}
let next = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (next++ < n) await call();
  }),
);
console.log(mode, ((performance.now() - t0) / n).toFixed(3), 'ms per call');
await worker.terminate();
process.exit(0);
