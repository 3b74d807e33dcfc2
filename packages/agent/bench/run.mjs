import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { createWooClient } from '@wooapi/client';
import { createGateway, createMcpServer } from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(here, '../bin/wooapi-mcp.js');
const dir = mkdtempSync(join(tmpdir(), 'wooapi-agent-bench-'));
const KEY = 'ck_bench0000000000000000000000000000000000';
const SECRET = 'cs_bench0000000000000000000000000000000000';
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
// About 4 characters of JSON per token for current tokenizers: an estimate, said as one.
const tokens = (n) => `~${Math.round(n / 4).toLocaleString('en-US')}`;

function startStore(latency) {
  const worker = new Worker(resolve(here, 'store.mjs'), { workerData: { latency } });
  return new Promise((ok) =>
    worker.once('message', (port) => ok({ url: `http://127.0.0.1:${port}`, stop: () => worker.terminate() })),
  );
}

const everyToolset = (g) => g.registry.toolsets.map((t) => `      ${t}: full`).join('\n');
function gatewayFor(url, options = {}) {
  writeFileSync(join(dir, 'probe.yaml'), 'agents:\n  p: {}\n');
  const probe = createGateway({
    policy: join(dir, 'probe.yaml'),
    env: { WOOCOMMERCE_URL: url, WOOCOMMERCE_KEY: KEY, WOOCOMMERCE_SECRET: SECRET },
    audit: join(dir, 'probe-audit.jsonl'),
  });
  const policy = join(dir, 'all.yaml');
  writeFileSync(
    policy,
    `agents:\n  admin:\n    resources:\n${everyToolset(probe)}\n    actions: { refund: on, delete: on, batch: on, send_customer_email: on, run_system_tool: on }\n`,
  );
  return createGateway({
    policy,
    env: { WOOCOMMERCE_URL: url, WOOCOMMERCE_KEY: KEY, WOOCOMMERCE_SECRET: SECRET },
    audit: join(dir, 'audit.jsonl'),
    client: { auth: 'basic', allowInsecureLoopback: true },
    ...options,
  });
}

async function sizes() {
  const all = gatewayFor('http://127.0.0.1:9');
  const bytes = (tools) => Buffer.byteLength(JSON.stringify({ tools }));
  const rows = [['all tools', all.session('admin').listTools()]];
  const disco = gatewayFor('http://127.0.0.1:9', { discovery: true });
  rows.push(['discovery mode (3 tools)', disco.session('admin').listTools()]);
  for (const set of all.registry.toolsets) {
    const g = gatewayFor('http://127.0.0.1:9', { selection: { toolsets: [set] } });
    rows.push([`--toolsets ${set}`, g.session('admin').listTools()]);
  }
  const ro = gatewayFor('http://127.0.0.1:9', { selection: { readOnly: true } });
  rows.splice(1, 0, ['--read-only', ro.session('admin').listTools()]);
  console.log('\n## tools/list size (an agent allowed everything)\n');
  console.log('| selection | tools | bytes | approx. tokens |\n| --- | --- | --- | --- |');
  for (const [name, tools] of rows)
    console.log(`| ${name} | ${tools.length} | ${kb(bytes(tools))} | ${tokens(bytes(tools))} |`);
}

/**
 * ms per call for `n` calls, `concurrency` at a time, and this process's CPU µs per call (the store runs in a worker
 * of this process, so its share is the same for every contender). CPU time is what a loaded machine disturbs least.
 */
async function perCall(fn, n, concurrency) {
  let next = 0;
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < n) await fn();
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  return { ms: (performance.now() - started) / n, cpu: (cpu.user + cpu.system) / n };
}

async function overhead(latency, rounds, n, concurrency = 8) {
  const store = await startStore(latency);
  const direct = createWooClient({
    url: store.url,
    consumerKey: KEY,
    consumerSecret: SECRET,
    auth: 'basic',
    allowInsecureLoopback: true,
  });
  const directOAuth = createWooClient({ url: store.url, consumerKey: KEY, consumerSecret: SECRET });
  const gateway = gatewayFor(store.url);
  const session = gateway.session('admin');
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const server = createMcpServer(session);
  await server.connect(serverSide);
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(clientSide);
  await client.listTools(); // as a real client does; it also arms the SDK's outputSchema check
  // The reference for what MCP costs anyone: a bare SDK Server with one tool (the same listing: input and output
  // schema) whose handler is the direct client call, answering the same JSON as text and structuredContent. No
  // policy, no input check, no audit: what is left between it and ours is ours.
  const bareTool = session.listTools().find((t) => t.name === 'get_product');
  const bareServer = new Server({ name: 'bare', version: '1' }, { capabilities: { tools: {} } });
  bareServer.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [bareTool] }));
  bareServer.setRequestHandler(CallToolRequestSchema, async (request) => {
    const { data } = await direct.GET('/products/{id}', {
      params: { path: { id: request.params.arguments.id } },
    });
    return { content: [{ type: 'text', text: JSON.stringify(data) }], structuredContent: data };
  });
  const [bareClientSide, bareServerSide] = InMemoryTransport.createLinkedPair();
  await bareServer.connect(bareServerSide);
  const bare = new Client({ name: 'bench', version: '1' });
  await bare.connect(bareClientSide);
  await bare.listTools();
  // A real wooapi-mcp process over stdio, as Claude Desktop/Code run it (its own process: its CPU is not counted).
  writeFileSync(join(dir, 'products.yaml'), 'agents:\n  ops: { resources: { products: read } }\n');
  const stdio = new Client({ name: 'bench', version: '1' });
  await stdio.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [
        bin,
        '--policy',
        join(dir, 'products.yaml'),
        '--agent',
        'ops',
        '--audit',
        join(dir, 'stdio-audit.jsonl'),
      ],
      env: {
        PATH: process.env.PATH ?? '',
        WOOCOMMERCE_URL: store.url,
        WOOCOMMERCE_KEY: KEY,
        WOOCOMMERCE_SECRET: SECRET,
      },
      stderr: 'ignore',
    }),
  );
  await stdio.listTools();
  const contenders = {
    'direct @wooapi/client GET /products/{id}': async () => {
      await direct.GET('/products/{id}', { params: { path: { id: 794 } } });
    },
    'tool call, session (policy, input check, audit line)': async () => {
      const r = await session.call('get_product', { id: 794 });
      if (r.isError) throw new Error(r.content[0].text);
    },
    'tool call, MCP (SDK client and server, in-memory transport)': async () => {
      const r = await client.callTool({ name: 'get_product', arguments: { id: 794 } });
      if (r.isError) throw new Error(r.content[0].text);
    },
    'reference: bare SDK server, one tool = the direct call (in-memory)': async () => {
      const r = await bare.callTool({ name: 'get_product', arguments: { id: 794 } });
      if (r.isError) throw new Error(r.content[0].text);
    },
    'direct @wooapi/client, OAuth 1.0a (what wooapi-mcp uses over plain http)': async () => {
      await directOAuth.GET('/products/{id}', { params: { path: { id: 794 } } });
    },
    'tool call, MCP over stdio to a wooapi-mcp process (OAuth 1.0a)': async () => {
      const r = await stdio.callTool({ name: 'get_product', arguments: { id: 794 } });
      if (r.isError) throw new Error(r.content[0].text);
    },
  };
  const times = Object.fromEntries(Object.keys(contenders).map((k) => [k, { ms: [], cpu: [] }]));
  for (const fn of Object.values(contenders)) await perCall(fn, 100, concurrency); // warm-up
  for (let r = 0; r < rounds; r++)
    for (const [k, fn] of Object.entries(contenders)) {
      const t = await perCall(fn, n, concurrency);
      times[k].ms.push(t.ms);
      times[k].cpu.push(t.cpu);
    }
  await client.close();
  await bare.close();
  await stdio.close();
  await store.stop();
  const first = times[Object.keys(contenders)[0]];
  const [baseMs, baseCpu] = [median(first.ms), median(first.cpu)];
  console.log(
    `\n## per call, store latency ${latency} ms (${rounds} interleaved rounds of ${n} calls, ${concurrency} in flight)\n`,
  );
  console.log(
    '| path | ms per call | vs direct | CPU µs per call | vs direct |\n| --- | --- | --- | --- | --- |',
  );
  for (const [k, t] of Object.entries(times))
    console.log(
      `| ${k} | ${median(t.ms).toFixed(3)} | ${(median(t.ms) / baseMs).toFixed(2)}x | ${median(t.cpu).toFixed(0)} | ${(median(t.cpu) / baseCpu).toFixed(2)}x |`,
    );
  // Ours over the bare SDK reference, round by round (both in the same round), then the median of those ratios.
  const ours = times['tool call, MCP (SDK client and server, in-memory transport)'];
  const ref = times['reference: bare SDK server, one tool = the direct call (in-memory)'];
  const perRound = (a, b) => median(a.map((x, i) => x / b[i]));
  console.log(
    `\nMCP in-memory, ours vs the bare SDK reference: ${perRound(ours.ms, ref.ms).toFixed(2)}x wall, ${perRound(ours.cpu, ref.cpu).toFixed(2)}x CPU (median of per-round ratios); session vs direct, same way: ${perRound(times[Object.keys(contenders)[1]].ms, first.ms).toFixed(2)}x wall, ${perRound(times[Object.keys(contenders)[1]].cpu, first.cpu).toFixed(2)}x CPU`,
  );
}

async function startup(runs, extra = []) {
  const policy = join(dir, 'startup.yaml');
  writeFileSync(policy, 'agents:\n  ops: { resources: { orders: read, products: read } }\n');
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [bin, '--policy', policy, '--agent', 'ops', ...extra],
      env: {
        PATH: process.env.PATH ?? '',
        WOOCOMMERCE_URL: 'http://127.0.0.1:9',
        WOOCOMMERCE_KEY: KEY,
        WOOCOMMERCE_SECRET: SECRET,
      },
      stderr: 'ignore',
    });
    const client = new Client({ name: 'bench', version: '1' });
    await client.connect(transport);
    await client.listTools();
    times.push(performance.now() - started);
    await client.close();
  }
  return median(times);
}

await sizes();
const quick = process.argv.includes('--quick');
await overhead(0, quick ? 3 : 10, quick ? 200 : 500, 8);
// An agent makes one call at a time, and a real store takes milliseconds.
await overhead(5, quick ? 2 : 5, quick ? 50 : 100, 1);
const gen = await startup(quick ? 3 : 7);
const spec = await startup(quick ? 3 : 7, ['--spec', resolve(here, '../../../spec/dist/openapi.json')]);
console.log('\n## start-up: spawn to the first tools/list answer (stdio, median)\n');
console.log(
  `| registry | ms |\n| --- | --- |\n| generated (default) | ${gen.toFixed(0)} |\n| --spec spec/dist/openapi.json (built at start-up) | ${spec.toFixed(0)} |`,
);
console.log(
  `\nmachine: ${process.version}, load ${(await import('node:os')).loadavg()[0].toFixed(1)} (1 min)`,
);
