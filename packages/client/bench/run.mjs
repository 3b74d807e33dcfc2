// `node bench/run.mjs` (or `pnpm bench` at the root): throughput against raw fetch and the official client, listAll
// against sequential paging, and the min+gzip size of a typical import against the official client's bundle.
// A script, not a test: it prints numbers and ratios, and exits non-zero only if something breaks.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import WooCommerceRestApi from '@woocommerce/woocommerce-rest-api';
import { build } from 'esbuild';
import createClient from 'openapi-fetch';
import { createWooClient, listAll, pages } from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const KEY = 'ck_bench0000000000000000000000000000000000';
const SECRET = 'cs_bench0000000000000000000000000000000000';

function startStore(total, latency) {
  const worker = new Worker(resolve(here, 'server.mjs'), { workerData: { total, latency } });
  return new Promise((ok) =>
    worker.once('message', (port) => ok({ url: `http://127.0.0.1:${port}`, stop: () => worker.terminate() })),
  );
}

/** Requests per second for `n` requests, `concurrency` at a time. */
async function rps(fn, n, concurrency) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < n) await fn();
    }),
  );
  return (n / (performance.now() - started)) * 1000;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => Math.round(x).toLocaleString('en-US');

async function throughput(rounds) {
  const store = await startStore(0, 0);
  const basic = `Basic ${btoa(`${KEY}:${SECRET}`)}`;
  const options = { url: store.url, consumerKey: KEY, consumerSecret: SECRET };
  const ours = createWooClient({ ...options, auth: 'basic', allowInsecureLoopback: true });
  const oursOAuth = createWooClient(options);
  // The package's CommonJS entry exports the class as `default`; over http it signs with OAuth 1.0a.
  const Official = WooCommerceRestApi.default ?? WooCommerceRestApi;
  const official = new Official({ ...options, version: 'wc/v3' });
  const url = `${store.url}/wp-json/wc/v3/products/794`;
  const bare = createClient({ baseUrl: `${store.url}/wp-json/wc/v3`, headers: { authorization: basic } });
  const contenders = {
    'raw fetch (Basic)': async () => {
      const r = await fetch(url, { headers: { authorization: basic } });
      if (!r.ok) throw new Error(String(r.status));
      await r.json();
    },
    'openapi-fetch alone (reference)': () => bare.GET('/products/{id}', { params: { path: { id: 794 } } }),
    '@wooapi/client (Basic)': () => ours.GET('/products/{id}', { params: { path: { id: 794 } } }),
    '@wooapi/client (OAuth 1.0a)': () => oursOAuth.GET('/products/{id}', { params: { path: { id: 794 } } }),
    'official client (OAuth 1.0a, axios)': () => official.get('products/794'),
  };
  const C = 8;
  for (const fn of Object.values(contenders)) await rps(fn, 300, C); // warm up JIT and keep-alive pools
  const results = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  // Many short interleaved bursts, median of each: load swings on a shared box hit every contender alike.
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of Object.entries(contenders)) results[name].push(await rps(fn, 250, C));
  }
  await store.stop();
  return Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)]));
}

/** The same comparison against a store that takes 5 ms per request, closer to a real store (which takes 50-500 ms). */
async function throughputWithLatency(rounds) {
  const store = await startStore(0, 5);
  const basic = `Basic ${btoa(`${KEY}:${SECRET}`)}`;
  const ours = createWooClient({
    url: store.url,
    consumerKey: KEY,
    consumerSecret: SECRET,
    auth: 'basic',
    allowInsecureLoopback: true,
  });
  const url = `${store.url}/wp-json/wc/v3/products/794`;
  const contenders = {
    raw: async () => {
      const r = await fetch(url, { headers: { authorization: basic } });
      if (!r.ok) throw new Error(String(r.status));
      await r.json();
    },
    ours: () => ours.GET('/products/{id}', { params: { path: { id: 794 } } }),
  };
  for (const fn of Object.values(contenders)) await rps(fn, 100, 8);
  const results = { raw: [], ours: [] };
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of Object.entries(contenders)) results[name].push(await rps(fn, 160, 8));
  }
  await store.stop();
  return { raw: median(results.raw), ours: median(results.ours) };
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
    let started = performance.now();
    let n = 0;
    for await (const p of pages(woo, '/products')) n += p.items.length;
    times.sequential.push(performance.now() - started);
    if (n !== 10_000) throw new Error(`sequential paging saw ${n} records`);
    started = performance.now();
    const all = await listAll(woo, '/products');
    times.listAll.push(performance.now() - started);
    if (all.length !== 10_000 || all[9_999].id !== 10_000)
      throw new Error(`listAll returned ${all.length} records`);
  }
  await store.stop();
  return { sequential: median(times.sequential), listAll: median(times.listAll) };
}

/** min+gzip of each output file; with `splitting`, the entry and the chunks it loads on demand. */
async function gzipSizes(options) {
  const out = await build({
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    logLevel: 'silent',
    outdir: resolve(here, '.size'),
    ...options,
  });
  return out.outputFiles.map((f) => ({
    file: f.path.slice(f.path.lastIndexOf('/') + 1),
    min: f.contents.length,
    gzip: gzipSync(f.contents, { level: 9 }).length,
  }));
}

const entry = (contents, extra = {}) => ({
  stdin: { contents, resolveDir: here },
  platform: 'browser',
  ...extra,
});

async function sizes() {
  return {
    // The typical import, split as every app bundler does it: OAuth signing is a chunk loaded on demand.
    typical: await gzipSizes(entry("export { createWooClient } from '@wooapi/client';", { splitting: true })),
    withPaging: await gzipSizes(
      entry("export { createWooClient, paginate, listAll } from '@wooapi/client';", { splitting: true }),
    ),
    everything: await gzipSizes(
      entry("export * from '@wooapi/client'; export * from '@wooapi/client/oauth';"),
    ),
    official: await gzipSizes({
      stdin: { contents: "export { default } from '@woocommerce/woocommerce-rest-api';", resolveDir: here },
      platform: 'node',
    }),
  };
}

const began = performance.now();
const tp = await throughput(24);
const tpl = await throughputWithLatency(5);
const pg = await paging();
const sz = await sizes();
const raw = tp['raw fetch (Basic)'];

console.log(
  '\n## Throughput: GET /products/{id}, 24 interleaved rounds of 250 requests, 8 in flight, median',
);
for (const [name, v] of Object.entries(tp)) {
  console.log(`${name.padEnd(38)} ${fmt(v).padStart(7)} req/s  ${(v / raw).toFixed(2)}x raw fetch`);
}
console.log(
  `@wooapi/client (Basic) / raw fetch:        ${(tp['@wooapi/client (Basic)'] / raw).toFixed(2)}x (target >= 0.95x)`,
);
console.log(
  `@wooapi/client (OAuth) / official (OAuth): ${(tp['@wooapi/client (OAuth 1.0a)'] / tp['official client (OAuth 1.0a, axios)']).toFixed(2)}x`,
);

console.log(
  `with 5 ms store latency: raw fetch ${fmt(tpl.raw)} req/s, @wooapi/client ${fmt(tpl.ours)} req/s: ${(tpl.ours / tpl.raw).toFixed(2)}x`,
);

console.log('\n## Listing 10,000 records: 100 pages of 100, 5 ms store latency, median of 3');
console.log(`sequential paging (pages())   ${fmt(pg.sequential).padStart(6)} ms`);
console.log(`listAll (default concurrency) ${fmt(pg.listAll).padStart(6)} ms`);
console.log(`speed-up: ${(pg.sequential / pg.listAll).toFixed(1)}x (target >= 5x)`);

console.log('\n## Bundle, min + gzip (esbuild, gzip -9)');
const kb = (b) => `${(b / 1024).toFixed(2)} kB`;
const show = (label, files) => {
  for (const f of files) {
    console.log(
      `${label.padEnd(42)} ${f.file.padEnd(22)} ${fmt(f.min).padStart(7)} B min ${kb(f.gzip).padStart(9)} gzip`,
    );
  }
};
show('createWooClient (entry, on-demand chunk)', sz.typical);
show('createWooClient + paginate + listAll', sz.withPaging);
show('everything, one file, no splitting', sz.everything);
show('official client with axios (node)', sz.official);
const typical = sz.typical.find((f) => f.file.startsWith('stdin'));
console.log(
  `typical import (createWooClient entry): ${kb(typical.gzip)} (target <= 6 kB); the official client is ${(sz.official[0].gzip / typical.gzip).toFixed(1)}x larger`,
);
console.log(`\nbench took ${((performance.now() - began) / 1000).toFixed(1)} s`);
