// `node bench/hostile.mjs` (part of `pnpm bench`): every hostile case of the client README's table, each in a fresh
// Node process against a misbehaving node:http server in this process on 127.0.0.1. A child reports the typed error
// it got, the time until it gave up, and its peak RSS (process.resourceUsage().maxRSS), next to the peak RSS of a
// child that makes one good request (the baseline). Tests prove each behaviour; this measures it.
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const KEY = 'ck_bench0000000000000000000000000000000000';
const SECRET = 'cs_bench0000000000000000000000000000000000';
const self = fileURLToPath(import.meta.url);

/** The client side of a case, run in a child: `node hostile.mjs <case> <url> <other>`. */
async function child(name, url, other) {
  const c = await import('../dist/index.js');
  const make = (extra = {}) =>
    c.createWooClient({
      url,
      consumerKey: KEY,
      consumerSecret: SECRET,
      auth: 'basic',
      allowInsecureLoopback: true,
      ...extra,
    });
  const cases = {
    baseline: () => make().GET('/products/{id}', { params: { path: { id: 1 } } }),
    'redirect-post': () => make().POST('/products', { body: { name: 'x' } }),
    'redirect-origin': () => make({ auth: 'query' }).GET('/products'),
    'total-pages-1e9': () => c.listAll(make(), '/products'),
    'ignores-page': () => c.listAll(make(), '/products'),
    'endless-pages': () => c.listAll(make(), '/products', undefined, { perPage: 1 }),
    'link-16kb': () => c.listAll(make(), '/products', undefined, { perPage: 1, maxPages: 200 }),
    'batch-short': () => c.batch(make(), '/products/batch', { create: [{ name: 'a' }, { name: 'b' }] }),
    'batch-reset': () =>
      c.batch(make(), '/products/batch', { delete: Array.from({ length: 300 }, (_, i) => i + 1) }),
    'put-502': () => make().PUT('/products/{id}', { params: { path: { id: 1 } }, body: { name: 'x' } }),
    'echo-auth': () => make().GET('/products'),
    'clients-200k': async () => {
      // Time per thrown error before and after 200,000 other clients were created, in the same process.
      const woo = make();
      const time = async () => {
        globalThis.gc?.();
        const started = performance.now();
        for (let i = 0; i < 100; i++) await woo.GET('/products').catch(() => {});
        return (performance.now() - started) / 100;
      };
      await time();
      const before = await time();
      for (let i = 0; i < 200_000; i++)
        c.createWooClient({ url: 'https://x.example', consumerKey: `ck_${i}`, consumerSecret: `cs_${i}` });
      const after = await time();
      return { perError: after, ratio: after / before };
    },
    'body-1gb': () => make().GET('/products'),
    'url-wc-v2': async () => make({ url: `${url}/wp-json/wc/v2` }),
    'slow-store': () => make({ timeout: 200, retry: { baseDelayMs: 10 } }).GET('/products'),
  };
  const started = performance.now();
  let outcome;
  try {
    const r = await cases[name]();
    outcome = { ok: true, ...(r && !r.data && !Array.isArray(r) ? r : {}) };
  } catch (e) {
    outcome = { error: e.name, code: e.code, message: String(e.message).slice(0, 140) };
  }
  outcome.ms = performance.now() - started;
  outcome.maxRssMB = process.resourceUsage().maxRSS / 1024;
  outcome.other = other;
  process.stdout.write(JSON.stringify(outcome));
  process.exit(0);
}

const json = (res, status, body, headers = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const items = (from, n) => Array.from({ length: n }, (_, i) => ({ id: from + i }));
const pageOf = (req) => Number(new URL(req.url, 'http://x').searchParams.get('page') ?? 1);

/** The misbehaving store of each case. */
const stores = {
  baseline: (_req, res) => json(res, 200, { id: 1 }),
  'redirect-post': (_req, res) => {
    res.writeHead(302, { location: '/wp-json/wc/v3/products/' });
    res.end();
  },
  'redirect-origin': (req, res, ctx) => {
    res.writeHead(301, { location: `${ctx.other}${req.url}` });
    res.end();
  },
  'total-pages-1e9': (_req, res) => json(res, 200, items(1, 100), { 'x-wp-totalpages': '1000000000' }),
  'ignores-page': (req, res) =>
    json(res, 200, items(1, 100), { link: `<http://${req.headers.host}${req.url}>; rel="next"` }),
  'endless-pages': (req, res) =>
    json(res, 200, [{ id: pageOf(req) }], {
      link: `<http://${req.headers.host}/?page=${pageOf(req) + 1}>; rel="next"`,
    }),
  'link-16kb': (req, res) =>
    json(res, 200, [{ id: pageOf(req) }], { link: `${'<a>; '.repeat(3000)}<b>; rel="next"` }),
  'batch-short': (_req, res) => json(res, 200, { create: [{ id: 1, name: 'a' }] }),
  'batch-reset': (req, res, ctx) => {
    ctx.n = (ctx.n ?? 0) + 1;
    if (ctx.n === 3) return req.socket.destroy();
    const body = JSON.parse(ctx.body);
    json(res, 200, { delete: body.delete.map((id) => ({ id })) });
  },
  'put-502': (_req, res) =>
    json(res, 502, { code: 'bad_gateway', message: 'Bad gateway', data: { status: 502 } }),
  'echo-auth': (req, res) =>
    json(res, 500, { code: 'echo', message: `refused ${req.headers.authorization}`, data: { status: 500 } }),
  'clients-200k': (req, res) =>
    json(res, 500, { code: 'echo', message: `refused ${req.headers.authorization}`, data: { status: 500 } }),
  'body-1gb': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(1 << 20, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < 1024 && res.write(chunk)) sent++;
      if (sent >= 1024) res.end(']');
    };
    res.on('drain', pump);
    res.write('[');
    pump();
  },
  'url-wc-v2': (_req, res) => json(res, 200, []),
  'slow-store': (_req, res) => {
    const t = setTimeout(() => json(res, 200, []), 5_000);
    res.on('close', () => clearTimeout(t));
  },
};

async function serve(handler, ctx) {
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    ctx.body = Buffer.concat(chunks).toString();
    ctx.requests = (ctx.requests ?? 0) + 1;
    handler(req, res, ctx);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

export async function hostile() {
  const rows = [];
  for (const name of process.env.CASES?.split(',') ?? Object.keys(stores)) {
    const ctx = {};
    const otherCtx = {};
    const other = await serve((_req, res) => json(res, 200, []), otherCtx);
    ctx.other = other.url;
    const store = await serve(stores[name], ctx);
    // Async, so that this process keeps serving while the child runs.
    const out = await new Promise((ok, fail) =>
      execFile(
        process.execPath,
        ['--expose-gc', self, name, store.url, other.url],
        { maxBuffer: 1 << 20 },
        (e, stdout) => (e ? fail(e) : ok(stdout)),
      ),
    );
    const r = JSON.parse(out);
    r.requests = ctx.requests ?? 0;
    r.otherOrigin = otherCtx.requests ?? 0;
    rows.push([name, r]);
    store.server.closeAllConnections();
    other.server.closeAllConnections();
    await new Promise((ok) => store.server.close(ok));
    await new Promise((ok) => other.server.close(ok));
  }
  return rows;
}

if (process.argv[2]) await child(process.argv[2], process.argv[3], process.argv[4]);
else if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await hostile();
  const base = rows.find(([n]) => n === 'baseline')?.[1].maxRssMB ?? 0;
  console.log(
    '\n## Hostile stores: typed error, time to give up, peak RSS (child process; baseline = one good request)',
  );
  for (const [name, r] of rows) {
    console.log(
      `${name.padEnd(16)} ${(r.error ?? (r.ok ? 'ok' : '?')).padEnd(26)} ${String(r.code ?? '').padEnd(28)} ${r.ms.toFixed(0).padStart(6)} ms  ${r.maxRssMB.toFixed(0).padStart(4)} MB (+${(r.maxRssMB - base).toFixed(0)})  ${r.requests} req${r.otherOrigin ? ` (${r.otherOrigin} to the other origin!)` : ''}${r.perError ? `  ${r.perError.toFixed(2)} ms per error after, ${r.ratio.toFixed(2)}x before` : ''}`,
    );
  }
}
