// `node bench/run.mjs` (or `pnpm bench` at the root): throughput against raw fetch and the official client, listAll
// against sequential paging, and the min+gzip size of a typical import against the official client's bundle.
// A script, not a test: it prints numbers and ratios, and exits non-zero only if something breaks.

import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import WooCommerceRestApi from '@woocommerce/woocommerce-rest-api';
import { build } from 'esbuild';
import { createWooClient, listAll, pages } from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const KEY = 'ck_bench0000000000000000000000000000000000';
const SECRET = 'cs_bench0000000000000000000000000000000000';

function startStore(total, latency) {
  const worker = new Worker(resolve(here, 'server.mjs'), { workerData: { total, latency } });
  return new Promise((ok) =>
    worker.once('message', (port) =>
      ok({ url: `http://127.0.0.1:${port}`, stop: () => worker.postMessage('stop') && worker.terminate() }),
    ),
  );
}

/** Requests per second for `n` requests, `concurrency` at a time. */
async function rps(fn, n, concurrency) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < n) await fn();
    }),
  );
  return (n / (performance.now() - t0)) * 1000;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x, d = 0) => x.toFixed(d).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

async function throughput() {
  const store = await startStore(0, 0);
  const basic = `Basic ${btoa(`${KEY}:${SECRET}`)}`;
  const ours = createWooClient({
    url: store.url,
    consumerKey: KEY,
    consumerSecret: SECRET,
    auth: 'basic',
    allowInsecureLoopback: true,
  });
  const oursOAuth = createWooClient({ url: store.url, consumerKey: KEY, consumerSecret: SECRET });
  // The package's CommonJS entry exports the class as `default`.
  const Official = WooCommerceRestApi.default ?? WooCommerceRestApi;
  const official = new Official({
    url: store.url,
    consumerKey: KEY,
    consumerSecret: SECRET,
    version: 'wc/v3',
  });
  const url = `${store.url}/wp-json/wc/v3/products/794`;
  const contenders = {
    'raw fetch (Basic)': async () => {
      const r = await fetch(url, { headers: { authorization: basic } });
      if (!r.ok) throw new Error(String(r.status));
      await r.json();
    },
    '@wooapi/client (Basic)': async () => {
      await ours.GET('/products/{id}', { params: { path: { id: 794 } } });
    },
    '@wooapi/client (OAuth 1.0a)': async () => {
      await oursOAuth.GET('/products/{id}', { params: { path: { id: 794 } } });
    },
    'official client (OAuth 1.0a, axios)': async () => {
      await official.get('products/794');
    },
  };
  const N = 1500;
  const C = 8;
  for (const fn of Object.values(contenders)) await rps(fn, 300, C); // warm up JIT and keep-alive pools
  const results = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  // Interleaved rounds, median of each: fairer on a busy box than one long run per contender.
  for (let round = 0; round < 5; round++) {
    for (const [name, fn] of Object.entries(contenders)) results[name].push(await rps(fn, N, C));
  }
  await store.stop();
  return Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)]));
}

async function paging() {
  const store = await startStore(10_000, 5);
  const woo = createWooClient({
    url: store.url,
    consumerKey: KEY,
    consumerSecret: SECRET,
    auth: 'basic',
    allowInsecureLoopback: true,
  });
  const times = { sequential: [], listAll: [] };
  for (let round = 0; round < 3; round++) {
    let t0 = performance.now();
    let n = 0;
    for await (const p of pages(woo, '/products')) n += p.items.length;
    times.sequential.push(performance.now() - t0);
    if (n !== 10_000) throw new Error(`sequential paging saw ${n} records`);
    t0 = performance.now();
    const all = await listAll(woo, '/products');
    times.listAll.push(performance.now() - t0);
    if (all.length !== 10_000 || all[9_999].id !== 10_000)
      throw new Error(`listAll returned ${all.length} records`);
  }
  await store.stop();
  return { sequential: median(times.sequential), listAll: median(times.listAll) };
}

async function gzipSize(options) {
  const out = await build({
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    logLevel: 'silent',
    ...options,
  });
  const code = out.outputFiles[0].contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

async function sizes() {
  const ours = await gzipSize({
    stdin: {
      contents:
        "export { createWooClient, paginate, listAll, batch, WooCommerceError } from '@wooapi/client';",
      resolveDir: here,
    },
    platform: 'browser',
  });
  const official = await gzipSize({
    stdin: { contents: "export { default } from '@woocommerce/woocommerce-rest-api';", resolveDir: here },
    platform: 'node',
  });
  return { ours, official };
}

const t0 = performance.now();
const tp = await throughput();
const pg = await paging();
const sz = await sizes();
const raw = tp['raw fetch (Basic)'];
const ourBasic = tp['@wooapi/client (Basic)'];
const ourOAuth = tp['@wooapi/client (OAuth 1.0a)'];
const off = tp['official client (OAuth 1.0a, axios)'];

console.log('\n## Throughput: GET /products/{id}, 1,500 requests x 5 rounds, 8 in flight, median');
for (const [name, v] of Object.entries(tp))
  console.log(`${name.padEnd(38)} ${fmt(v).padStart(7)} req/s  ${(v / raw).toFixed(2)}x raw fetch`);
console.log(
  `@wooapi/client (Basic) / raw fetch:            ${(ourBasic / raw).toFixed(2)}x (target >= 0.95x)`,
);
console.log(`@wooapi/client (OAuth) / official (OAuth):     ${(ourOAuth / off).toFixed(2)}x`);
console.log('\n## Listing 10,000 records: 100 pages of 100, 5 ms store latency, median of 3');
console.log(`sequential paging (pages())                   ${fmt(pg.sequential)} ms`);
console.log(`listAll (default concurrency)                 ${fmt(pg.listAll)} ms`);
console.log(
  `speed-up:                                     ${(pg.sequential / pg.listAll).toFixed(1)}x (target >= 5x)`,
);
console.log('\n## Bundle, min + gzip');
console.log(
  `@wooapi/client (createWooClient, paginate, listAll, batch, WooCommerceError; browser): ${fmt(sz.ours.min)} B min, ${(sz.ours.gzip / 1024).toFixed(2)} kB gzip (target <= 6 kB)`,
);
console.log(
  `@woocommerce/woocommerce-rest-api (with axios; node):                            ${fmt(sz.official.min)} B min, ${(sz.official.gzip / 1024).toFixed(2)} kB gzip`,
);
console.log(`ratio: ${(sz.official.gzip / sz.ours.gzip).toFixed(1)}x smaller`);
console.log(`\nbench took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
