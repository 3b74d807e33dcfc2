// Load run of the mock: a bounded number of requests at a fixed concurrency, through the front server (startMock)
// and, as the baseline in the same run, straight to a bare Prism on the same spec. Rounds alternate so that a
// change in machine load hits both alike; the ratio is what to compare across runs.
// Usage: node bench/load.mjs [--requests 2000] [--concurrency 20] [--rounds 2] [--dynamic]
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startMock } from '../dist/index.js';
import { freePort, spawnPrism, waitUntilAnswering } from '../dist/process.js';
import { bundledSpecPath, writeMountedSpec } from '../dist/spec.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '2' },
    dynamic: { type: 'boolean', default: false },
  },
});
const total = Number(values.requests);
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);
if (![total, concurrency, rounds].every((n) => Number.isInteger(n) && n >= 1)) {
  console.error('--requests, --concurrency and --rounds must be positive integers');
  process.exit(2);
}

const auth = { authorization: `Basic ${Buffer.from('ck_bench:cs_bench').toString('base64')}` };
// A list with paging headers and a single resource: the two answers a client asks for most.
const targets = ['/products', '/products/1'];

/** Bare Prism on the mounted spec: what startMock ran before the front server existed. */
async function startBarePrism() {
  const mounted = await writeMountedSpec(bundledSpecPath());
  const port = await freePort('127.0.0.1');
  const args = ['mock', mounted.file, '--host', '127.0.0.1', '--port', String(port), '--verboseLevel', 'warn'];
  if (values.dynamic) args.push('--dynamic');
  const proc = spawnPrism({ args, cleanupDir: mounted.dir });
  await waitUntilAnswering(`http://127.0.0.1:${port}/`, proc, 60_000);
  return { apiUrl: `http://127.0.0.1:${port}/wp-json/wc/v3`, stop: () => proc.stop().then(mounted.cleanup) };
}

async function load(apiUrl) {
  // Warm-up: Prism compiles validators lazily on the first request of each route.
  for (const path of targets) await (await fetch(`${apiUrl}${path}`, { headers: auth })).arrayBuffer();
  const latencies = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  async function worker() {
    while (next < total) {
      const i = next++;
      const t0 = performance.now();
      try {
        const res = await fetch(`${apiUrl}${targets[i % targets.length]}`, { headers: auth });
        await res.arrayBuffer();
        if (res.status !== 200) failures++;
      } catch {
        failures++;
      }
      latencies.push(performance.now() - t0);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return { rps: total / seconds, failures, p50: pct(50), p95: pct(95), p99: pct(99) };
}

const mock = await startMock({ dynamic: values.dynamic });
const bare = await startBarePrism();
const runs = { mock: [], bare: [] };
try {
  for (let r = 0; r < rounds; r++) {
    runs.bare.push(await load(bare.apiUrl));
    runs.mock.push(await load(mock.apiUrl));
  }
} finally {
  await Promise.all([mock.stop(), bare.stop()]);
}

const sum = (list, key) => list.reduce((a, x) => a + x[key], 0);
const mean = (list, key) => sum(list, key) / list.length;
const summary = (name, list) => ({
  name,
  requestsPerSecond: Math.round(mean(list, 'rps')),
  failures: sum(list, 'failures'),
  p50ms: Number(mean(list, 'p50').toFixed(1)),
  p95ms: Number(mean(list, 'p95').toFixed(1)),
  p99ms: Number(mean(list, 'p99').toFixed(1)),
});
const result = {
  mode: values.dynamic ? 'dynamic' : 'static',
  requests: total,
  concurrency,
  rounds,
  load1: Number(loadavg()[0].toFixed(1)),
  mock: summary('startMock (front server + Prism)', runs.mock),
  bare: summary('bare Prism (baseline)', runs.bare),
};
result.ratio = Number((result.mock.requestsPerSecond / result.bare.requestsPerSecond).toFixed(2));
console.log(JSON.stringify(result));
for (const s of [result.bare, result.mock]) {
  console.log(
    `${result.mode} ${s.name}: ${s.requestsPerSecond} req/s, ${s.failures} failures, ` +
      `p50 ${s.p50ms} ms, p95 ${s.p95ms} ms, p99 ${s.p99ms} ms`,
  );
}
console.log(`throughput ratio mock / bare Prism: ${result.ratio}x (machine load ${result.load1})`);
if (result.mock.failures + result.bare.failures > 0) process.exitCode = 1;
