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
import { createHmac } from 'node:crypto';
import { execFile } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import OAuth from 'oauth-1.0a';
import { createWooClient, listAll, pages } from '../dist/index.js';
import { createOAuthSigner, oauthAuth } from '../dist/oauth.js';
import { stripCredentials } from '../dist/url.js';
import { appSize } from './app-size.mjs';
import { hostile } from './hostile.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const KEY = 'ck_bench0000000000000000000000000000000000';
const SECRET = 'cs_bench0000000000000000000000000000000000';

function startStore(total, latency, tls = false) {
  const worker = new Worker(resolve(here, 'server.mjs'), { workerData: { total, latency, tls } });
  const scheme = tls ? 'https' : 'http';
  return new Promise((ok) =>
    worker.once('message', (port) =>
      ok({ url: `${scheme}://127.0.0.1:${port}`, stop: () => worker.terminate() }),
    ),
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

/**
 * Requests per second of each contender, interleaved: `C` in flight, over http, or https with the bench's
 * certificate (`tls`: the contenders that sign with OAuth are left out, as they do not over https).
 */
async function throughput(rounds, { C = 8, tls = false, burst = 250 } = {}) {
  const store = await startStore(0, 0, tls);
  const basic = `Basic ${btoa(`${KEY}:${SECRET}`)}`;
  const options = { url: store.url, consumerKey: KEY, consumerSecret: SECRET };
  const ours = createWooClient({ ...options, auth: 'basic', allowInsecureLoopback: true });
  const oursOAuth = tls ? undefined : createWooClient(options);
  // The package's CommonJS entry exports the class as `default`; over http it signs with OAuth 1.0a, over https it
  // sends Basic.
  const Official = WooCommerceRestApi.default ?? WooCommerceRestApi;
  const official = new Official({ ...options, version: 'wc/v3' });
  const url = `${store.url}/wp-json/wc/v3/products/794`;
  const bare = createClient({ baseUrl: `${store.url}/wp-json/wc/v3`, headers: { authorization: basic } });
  const byHand = new OAuth({
    consumer: { key: KEY, secret: SECRET },
    signature_method: 'HMAC-SHA256',
    hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
  });
  const contenders = {
    'raw fetch (Basic)': async () => {
      const r = await fetch(url, { headers: { authorization: basic } });
      if (!r.ok) throw new Error(String(r.status));
      await r.json();
    },
    'raw fetch with a 30 s timeout signal': async () => {
      const r = await fetch(url, { headers: { authorization: basic }, signal: AbortSignal.timeout(30_000) });
      if (!r.ok) throw new Error(String(r.status));
      await r.json();
    },
    // OAuth by hand: what signing costs anyone (oauth-1.0a + node:crypto, the parameters in the query).
    ...(!tls && {
      'raw fetch, signed by hand (OAuth 1.0a)': async () => {
        const q = new URLSearchParams(byHand.authorize({ url, method: 'GET' })).toString();
        const r = await fetch(`${url}?${q}`);
        if (!r.ok) throw new Error(String(r.status));
        await r.json();
      },
    }),
    'openapi-fetch alone (reference)': () => bare.GET('/products/{id}', { params: { path: { id: 794 } } }),
    '@wooapi/client (Basic)': () => ours.GET('/products/{id}', { params: { path: { id: 794 } } }),
    ...(!tls && {
      '@wooapi/client (OAuth 1.0a)': () => oursOAuth.GET('/products/{id}', { params: { path: { id: 794 } } }),
    }),
    [tls ? 'official client (Basic, axios)' : 'official client (OAuth 1.0a, axios)']: () =>
      official.get('products/794'),
  };
  for (const fn of Object.values(contenders)) await rps(fn, 300, C); // warm up JIT and keep-alive pools
  const results = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  // Many short interleaved bursts, median of each: load swings on a shared box hit every contender alike; every other
  // round runs in reverse order, so that no contender always follows the same one (GC debt, JIT state).
  const order = Object.entries(contenders);
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of round % 2 ? [...order].reverse() : order)
      results[name].push(await rps(fn, burst, C));
  }
  await store.stop();
  // Each contender's ratio to raw fetch in the same round, then the median: a round that a load swing or a GC slowed
  // slows both sides of its ratio.
  const raw = results['raw fetch (Basic)'];
  const out = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)]));
  out.paired = Object.fromEntries(
    Object.entries(results).map(([k, v]) => [k, median(v.map((x, i) => x / raw[i]))]),
  );
  return out;
}

/** The https run, in a child that trusts the bench's certificate (NODE_EXTRA_CA_CERTS is read at start-up only). */
async function throughputHttps(rounds) {
  const out = await run([fileURLToPath(import.meta.url)], {
    env: {
      ...process.env,
      BENCH: 'https-child',
      BENCH_ROUNDS: String(rounds),
      NODE_EXTRA_CA_CERTS: resolve(here, 'tls/loopback.crt'),
    },
  });
  return JSON.parse(out);
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
    // As a consumer's bundler sees the package: no tsconfig paths of ours (the `#hmac` browser side is used).
    tsconfigRaw: {},
    outdir: resolve(here, '.size'),
    metafile: true,
    ...options,
  });
  return out.outputFiles.map((f) => {
    const meta = Object.entries(out.metafile.outputs).find(([k]) =>
      f.path.endsWith(k.replace(/^.*\//, '/')),
    )?.[1];
    return {
      file: f.path.slice(f.path.lastIndexOf('/') + 1),
      min: f.contents.length,
      gzip: gzipSync(f.contents, { level: 9 }).length,
      openapiFetch: !!meta && Object.keys(meta.inputs).some((i) => i.includes('openapi-fetch')),
    };
  });
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
    // The app of issue 13: creates a client, signs (OAuth) and pages through products (see app-size.mjs).
    app: await appSize(),
    openapiFetchAlone: await gzipSizes(
      entry(
        "import createClient from 'openapi-fetch'; const c = createClient({ baseUrl: 'https://shop.example/wp-json/wc/v3' }); c.GET('/products', { params: { query: { page: 1 } } }).then(console.log);",
      ),
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

/** Microseconds per call of `fn` (sync or async), median of interleaved rounds against each other. */
async function perCall(fns, rounds = 9, n = 2000) {
  const out = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  for (const fn of Object.values(fns)) for (let i = 0; i < 200; i++) await fn();
  for (let r = 0; r < rounds; r++) {
    for (const [k, fn] of Object.entries(fns)) {
      const t = performance.now();
      for (let i = 0; i < n; i++) await fn();
      out[k].push(((performance.now() - t) / n) * 1000);
    }
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, median(v)]));
}

async function signing() {
  const url = 'http://store.test/wp-json/wc/v3/products?per_page=100&page=3&orderby=date';
  const ours = createOAuthSigner(KEY, SECRET, 'HMAC-SHA256');
  const oursRequest = oauthAuth(KEY, SECRET, 'HMAC-SHA256', 'query');
  const ref = new OAuth({
    consumer: { key: KEY, secret: SECRET },
    signature_method: 'HMAC-SHA256',
    hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
  });
  const Official = WooCommerceRestApi.default ?? WooCommerceRestApi;
  const official = new Official({
    url: 'http://store.test',
    consumerKey: KEY,
    consumerSecret: SECRET,
    version: 'wc/v3',
  });
  return perCall({
    'ours: one signature': () => ours.sign('GET', url),
    'oauth-1.0a + node:crypto: one signature': () => ref.authorize({ url, method: 'GET' }),
    // As the client signs: an earlier signature stripped (auth.ts), then signed (oauthAuth).
    'ours: whole request (sign, URL)': () => oursRequest('GET', stripCredentials(url)),
    'official client: whole request': () =>
      official
        ._getOAuth()
        .authorize({
          url: official._getUrl('products', { per_page: 100, page: 3, orderby: 'date' }),
          method: 'GET',
        }),
  });
}

const run = (args, options = {}) =>
  new Promise((ok, fail) =>
    execFile(process.execPath, args, { maxBuffer: 1 << 22, ...options }, (e, stdout) =>
      e ? fail(e) : ok(stdout),
    ),
  );

/** Cold start: a fresh node importing each module, interleaved, median wall time of the child. */
async function coldStart(rounds = 7) {
  const cases = {
    'bare node': '',
    '@wooapi/client': "await import('@wooapi/client');",
    'official client': "await import('@woocommerce/woocommerce-rest-api');",
  };
  const out = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++)
    for (const [k, code] of Object.entries(cases)) {
      const t = performance.now();
      await run(['--input-type=module', '-e', code], { cwd: here });
      out[k].push(performance.now() - t);
    }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, median(v)]));
}

/** Peak RSS of a fresh process listing 10,000 products: listAll against 100 raw fetches of the same pages. */
async function memory() {
  const store = await startStore(10_000, 0);
  const script = (body) => `
    const url = ${JSON.stringify(store.url)};
    ${body}
    process.stdout.write(String(process.resourceUsage().maxRSS / 1024));`;
  const ours = script(`
    const { createWooClient, listAll } = await import('${resolve(here, '../dist/index.js')}');
    const woo = createWooClient({ url, consumerKey: '${KEY}', consumerSecret: '${SECRET}', auth: 'basic', allowInsecureLoopback: true });
    const all = await listAll(woo, '/products');
    if (all.length !== 10000) throw new Error('listAll');`);
  const raw = script(`
    const auth = 'Basic ' + btoa('${KEY}:${SECRET}');
    const all = [];
    await Promise.all(Array.from({ length: 8 }, async (_, w) => {
      for (let p = w + 1; p <= 100; p += 8) {
        const r = await fetch(url + '/wp-json/wc/v3/products?page=' + p + '&per_page=100', { headers: { authorization: auth } });
        all[p - 1] = await r.json();
      }
    }));
    if (all.flat().length !== 10000) throw new Error('raw');`);
  const out = { ours: [], raw: [] };
  for (let r = 0; r < 3; r++) {
    out.raw.push(Number(await run(['--input-type=module', '-e', raw])));
    out.ours.push(Number(await run(['--input-type=module', '-e', ours])));
  }
  await store.stop();
  return { ours: median(out.ours), raw: median(out.raw) };
}

/** tsc --noEmit of a small file calling the client, against the same file without the import. */
async function typeCheck() {
  const dir = mkdtempSync(resolve(here, '.tc-'));
  const withClient = `import { createWooClient, listAll, batch } from '@wooapi/client';
const woo = createWooClient({ url: 'https://example.com', consumerKey: 'ck_x', consumerSecret: 'cs_x' });
export async function main() {
  const { data } = await woo.GET('/products/{id}', { params: { path: { id: 794 } } });
  const all = await listAll(woo, '/products');
  await woo.POST('/products', { body: { name: 'Hoodie' } });
  await batch(woo, '/products/batch', { delete: [1] });
  return [data.name, all.length];
}
`;
  const without = `export async function main() {
  const data = await Promise.resolve({ name: 'x' as string | undefined });
  const all = await Promise.resolve([] as unknown[]);
  return [data.name, all.length];
}
`;
  writeFileSync(resolve(dir, 'with.ts'), withClient);
  writeFileSync(resolve(dir, 'without.ts'), without);
  const tsc = resolve(here, '../node_modules/typescript/bin/tsc');
  const measure = async (file, skipLibCheck) => {
    const outText = await run(
      [
        tsc,
        '--noEmit',
        '--extendedDiagnostics',
        '--skipLibCheck',
        String(skipLibCheck),
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2022',
        '--strict',
        '--types',
        'node',
        resolve(dir, file),
      ],
      { cwd: here },
    );
    const num = (label) => Number(new RegExp(`${label}:\\s+([\\d.]+)`).exec(outText)?.[1]);
    return { instantiations: num('Instantiations'), total: num('Total time'), check: num('Check time') };
  };
  const res = {};
  try {
    for (const skip of [true, false]) {
      const a = [];
      const b = [];
      for (let r = 0; r < 2; r++) {
        b.push(await measure('without.ts', skip));
        a.push(await measure('with.ts', skip));
      }
      const m = (xs, k) => median(xs.map((x) => x[k]));
      res[skip ? 'skipLibCheck' : 'full lib check'] = {
        with: { total: m(a, 'total'), instantiations: m(a, 'instantiations') },
        without: { total: m(b, 'total'), instantiations: m(b, 'instantiations') },
      };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return res;
}

if (process.env.BENCH === 'https-child') {
  process.stdout.write(
    JSON.stringify(await throughput(Number(process.env.BENCH_ROUNDS), { C: 16, tls: true })),
  );
  process.exit(0);
}
const began = performance.now();
const only = process.env.BENCH?.split(',');
const want = (k) => !only || only.includes(k);
const tp = want('throughput') ? await throughput(40) : undefined;
const tpl = want('throughput') ? await throughputWithLatency(5) : undefined;
// The issue's other two settings: one request at a time, and https with 16 in flight.
const tp1 = want('throughput') ? await throughput(30, { C: 1, burst: 150 }) : undefined;
const tps = want('throughput') ? await throughputHttps(30) : undefined;
const sg = want('signing') ? await signing() : undefined;
const pg = want('paging') ? await paging() : undefined;
const sz = want('size') ? await sizes() : undefined;
const cs = want('cold') ? await coldStart() : undefined;
const mem = want('memory') ? await memory() : undefined;
const tc = want('types') ? await typeCheck() : undefined;
const hs = want('hostile') ? await hostile() : undefined;
const kb = (b) => `${(b / 1024).toFixed(2)} kB`;
const x = (v) => `${v.toFixed(2)}x`;

if (tp) {
  const { paired, ...rates } = tp;
  const ratio = (a, b) => paired[a] / paired[b];
  console.log(
    '\n## Throughput: GET /products/{id}, 40 interleaved rounds of 250 requests, 8 in flight, median',
  );
  console.log(
    '(req/s: median over rounds; ratio: median over rounds of the ratio to raw fetch in the same round)',
  );
  for (const [name, v] of Object.entries(rates))
    console.log(`${name.padEnd(38)} ${fmt(v).padStart(7)} req/s  ${paired[name].toFixed(2)}x raw fetch`);
  const raw = 'raw fetch (Basic)';
  console.log(
    `@wooapi/client (Basic) / raw fetch:        ${x(ratio('@wooapi/client (Basic)', raw))} (target >= 0.95x)`,
  );
  console.log(
    `@wooapi/client (OAuth) / raw fetch:        ${x(ratio('@wooapi/client (OAuth 1.0a)', raw))} (target >= 0.95x)`,
  );
  console.log(
    `@wooapi/client (Basic) / raw fetch with a timeout signal: ${x(ratio('@wooapi/client (Basic)', 'raw fetch with a 30 s timeout signal'))}`,
  );
  console.log(
    `@wooapi/client (OAuth) / raw fetch signed by hand: ${x(ratio('@wooapi/client (OAuth 1.0a)', 'raw fetch, signed by hand (OAuth 1.0a)'))}`,
  );
  console.log(
    `@wooapi/client (OAuth) / official (OAuth): ${x(ratio('@wooapi/client (OAuth 1.0a)', 'official client (OAuth 1.0a, axios)'))}`,
  );
  console.log(
    `with 5 ms store latency: raw fetch ${fmt(tpl.raw)} req/s, @wooapi/client ${fmt(tpl.ours)} req/s: ${x(tpl.ours / tpl.raw)}`,
  );
  for (const [title, r] of [
    ['one request at a time (sequential), http, 30 rounds of 150', tp1],
    ['https (self-signed, loopback), 16 in flight, 30 rounds of 250', tps],
  ]) {
    console.log(`\n## Throughput, ${title}`);
    const { paired: p, ...rs } = r;
    for (const [name, v] of Object.entries(rs))
      console.log(`${name.padEnd(38)} ${fmt(v).padStart(7)} req/s  ${p[name].toFixed(2)}x raw fetch`);
  }
}
if (sg) {
  console.log('\n## OAuth 1.0a HMAC-SHA256 signing, microseconds per call, median of 9 interleaved rounds');
  for (const [k, v] of Object.entries(sg)) console.log(`${k.padEnd(42)} ${v.toFixed(1).padStart(7)} us`);
  console.log(
    `one signature: ours / oauth-1.0a + node:crypto = ${x(sg['ours: one signature'] / sg['oauth-1.0a + node:crypto: one signature'])} of its time (target <= 1.0x)`,
  );
  console.log(
    `whole request: ours / official client = ${x(sg['ours: whole request (sign, URL)'] / sg['official client: whole request'])} of its time (target < 1.0x)`,
  );
}
if (pg) {
  console.log('\n## Listing 10,000 records: 100 pages of 100, 5 ms store latency, median of 3');
  console.log(`sequential paging (pages())   ${fmt(pg.sequential).padStart(6)} ms`);
  console.log(`listAll (default concurrency) ${fmt(pg.listAll).padStart(6)} ms`);
  console.log(`speed-up: ${(pg.sequential / pg.listAll).toFixed(1)}x (target >= 5x)`);
}
if (mem)
  console.log(
    `peak RSS listing 10,000 products: listAll ${mem.ours.toFixed(0)} MB, raw fetch ${mem.raw.toFixed(0)} MB: ${x(mem.ours / mem.raw)}`,
  );
if (sz) {
  console.log('\n## Bundle, min + gzip (esbuild, gzip -9)');
  const show = (label, files) => {
    for (const f of files)
      console.log(
        `${label.padEnd(42)} ${f.file.padEnd(22)} ${fmt(f.min).padStart(7)} B min ${kb(f.gzip).padStart(9)} gzip`,
      );
  };
  show('app, success path (entry, OAuth)', sz.app.success);
  show('app, loaded only on the first error', sz.app.error);
  show('app, on demand (raw, middleware, Link)', sz.app.unused);
  show('createWooClient (entry, on-demand chunk)', sz.typical);
  show('createWooClient + paginate + listAll', sz.withPaging);
  show('openapi-fetch alone, one GET', sz.openapiFetchAlone);
  show('everything, one file, no splitting', sz.everything);
  show('official client with axios (node)', sz.official);
  // What the app downloads when it signs and pages with no error: the entry, its static imports and the OAuth chunk
  // (app-size.mjs follows the import graph); the error chunk is counted apart, openapi-fetch's runtime not at all.
  const appTotal = sz.app.successGzip;
  console.log(
    `app total, success path, OAuth chunk included: ${kb(appTotal)} (target <= 6 kB); on the first error +${kb(sz.app.errorGzip)}; openapi-fetch alone ${kb(sz.openapiFetchAlone[0].gzip)}; official client ${kb(sz.official[0].gzip)} (${x(sz.official[0].gzip / appTotal)} larger)`,
  );
}
if (cs) {
  console.log('\n## Cold start: a fresh node process, median of 7 interleaved');
  for (const [k, v] of Object.entries(cs))
    console.log(`${k.padEnd(20)} ${v.toFixed(0).padStart(5)} ms  (+${(v - cs['bare node']).toFixed(0)} ms)`);
}
if (tc) {
  console.log(
    '\n## tsc --noEmit of a small file calling the client, vs the same file without it (median of 2)',
  );
  for (const [k, v] of Object.entries(tc))
    console.log(
      `${k.padEnd(15)} with ${v.with.total.toFixed(2)} s (${fmt(v.with.instantiations)} instantiations), without ${v.without.total.toFixed(2)} s (${fmt(v.without.instantiations)}): ${x(v.with.total / v.without.total)} (target <= 1.5x)`,
    );
}
if (hs) {
  const base = hs.find(([n]) => n === 'baseline')?.[1].maxRssMB ?? 0;
  console.log('\n## Hostile stores: typed error, time to give up, peak RSS over a one-request child');
  for (const [name, r] of hs)
    console.log(
      `${name.padEnd(16)} ${(r.error ?? 'ok').padEnd(26)} ${r.ms.toFixed(0).padStart(6)} ms  +${Math.max(0, r.maxRssMB - base).toFixed(0)} MB  ${r.requests} req${r.ratio ? `  error after 200k clients: ${x(r.ratio)} of before` : ''}`,
    );
}
console.log(`\nbench took ${((performance.now() - began) / 1000).toFixed(1)} s`);
