// Load run of the mock: a bounded number of requests at a fixed concurrency against the real Prism.
// Usage: node bench/load.mjs [--requests 2000] [--concurrency 20] [--dynamic]
import { parseArgs } from 'node:util';
import { startMock } from '../dist/index.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '20' },
    dynamic: { type: 'boolean', default: false },
  },
});
const total = Number(values.requests);
const concurrency = Number(values.concurrency);
if (!Number.isInteger(total) || total < 1 || !Number.isInteger(concurrency) || concurrency < 1) {
  console.error('--requests and --concurrency must be positive integers');
  process.exit(2);
}

const auth = { authorization: `Basic ${Buffer.from('ck_bench:cs_bench').toString('base64')}` };
// A list with paging headers and a single resource: the two answers a client asks for most.
const targets = ['/products', '/products/1'];

const mock = await startMock({ dynamic: values.dynamic });
try {
  // Warm-up: Prism compiles validators lazily on the first request of each route.
  for (const path of targets) await (await fetch(`${mock.apiUrl}${path}`, { headers: auth })).arrayBuffer();
  const latencies = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  async function worker() {
    while (next < total) {
      const i = next++;
      const t0 = performance.now();
      try {
        const res = await fetch(`${mock.apiUrl}${targets[i % targets.length]}`, { headers: auth });
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
  const pct = (p) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);
  const result = {
    mode: values.dynamic ? 'dynamic' : 'static',
    requests: total,
    concurrency,
    seconds: Number(seconds.toFixed(2)),
    requestsPerSecond: Math.round(total / seconds),
    failures,
    p50ms: Number(pct(50)),
    p95ms: Number(pct(95)),
    p99ms: Number(pct(99)),
  };
  console.log(JSON.stringify(result));
  console.log(
    `${result.mode}: ${total} requests at concurrency ${concurrency} in ${result.seconds}s: ${result.requestsPerSecond} req/s, ` +
      `${failures} failures, p50 ${result.p50ms} ms, p95 ${result.p95ms} ms, p99 ${result.p99ms} ms`,
  );
  if (failures > 0) process.exitCode = 1;
} finally {
  await mock.stop();
}
