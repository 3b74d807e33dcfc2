// Cloudflare's workerd, for real: a Worker bundled by esbuild as wrangler bundles one (workerd's export conditions),
// a workerd config written for it, workerd serving on 127.0.0.1 (the port it reports on its control fd), driven by
// HTTP from Node. Two Workers: `@wooapi/webhooks`' Fetch handler answering recorded deliveries, and the client
// running the cases of check/cases.mjs against the loopback store (workerd's `internet` network opened to local
// addresses only: 127.0.0.0/8).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { build } from 'esbuild';
import { sharedDir, stageDir } from './lib.mjs';

export const COMPATIBILITY_DATE = '2026-11-01';

/** Bundle a Worker from the stage (the packages as published) with the conditions wrangler uses for workerd. */
export async function bundleWorker(entry, outfile) {
  const r = await build({
    entryPoints: [join(stageDir, 'workerd', entry)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(r.metafile.inputs).map((i) => relative(stageDir, join(process.cwd(), i)));
}

/** Start workerd on a config for one Worker module; resolves once it listens. */
export function startWorkerd(bin, { dir, module, bindings = '', allowLocal = false }) {
  const config = join(dir, 'config.capnp');
  writeFileSync(
    config,
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    ${allowLocal ? '(name = "internet", network = (allow = ["local"])),' : ''}
  ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker.mjs", esModule = embed "${module}") ],
  compatibilityDate = "${COMPATIBILITY_DATE}",
  bindings = [ ${bindings} ],
);
`,
  );
  const child = spawn(bin, ['serve', config, '--control-fd=3'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const closed = new Promise((r) => child.on('close', r));
  const close = () => {
    child.kill('SIGTERM');
    return closed;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`workerd did not listen within 30 s:\n${log}`));
    }, 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`workerd exited (${code}) before listening:\n${log}`));
    });
    let ctl = '';
    child.stdio[3].on('data', (d) => {
      ctl += d;
      const line = ctl.split('\n').find((l) => l.includes('"listen"'));
      if (!line) return;
      clearTimeout(timer);
      const { port } = JSON.parse(line);
      resolve({ url: `http://127.0.0.1:${port}`, close, log: () => log });
    });
  });
}

const readDeliveries = (file) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));

/**
 * The webhooks Worker in workerd, sent every recorded delivery (or, without ../shared, a synthetic one) over HTTP,
 * each also with a byte changed, plus a GET and a body over the 1 MiB limit. Returns the cases as check.mjs prints
 * them: name, expected, outcome.
 */
export async function webhooksInWorkerd(bin) {
  const { forge, requestHeaders } = await import(join(stageDir, 'check', 'cases.mjs'));
  const { syntheticDelivery } = await import(join(stageDir, 'check', 'expected.mjs'));
  const file = join(sharedDir, 'reference/recorded-11.0.1/webhooks.jsonl');
  const skipped = existsSync(file)
    ? []
    : [`recorded webhook deliveries skipped: ${file} not found (set WOOAPI_SHARED)`];
  const deliveries = [syntheticDelivery(), ...(existsSync(file) ? readDeliveries(file) : [])];
  const secrets = [...new Set(deliveries.map((d) => d.secret ?? 'none'))];
  const dir = mkdtempSync(join(tmpdir(), 'wooapi-workerd-'));
  try {
    const inputs = await bundleWorker('webhooks-worker.mjs', join(dir, 'worker.mjs'));
    const w = await startWorkerd(bin, {
      dir,
      module: 'worker.mjs',
      bindings: `(name = "SECRETS", json = ${JSON.stringify(JSON.stringify(secrets))})`,
    });
    try {
      const post = async (d, body) => {
        const r = await fetch(`${w.url}/hook/${secrets.indexOf(d.secret ?? 'none')}`, {
          method: 'POST',
          headers: requestHeaders(d.headers),
          body,
        });
        return { status: r.status, body: await r.json() };
      };
      const signed = deliveries.filter((d) => !d.is_ping);
      const pings = deliveries.filter((d) => d.is_ping);
      const answers = [];
      for (const d of deliveries) answers.push(await post(d, Buffer.from(d.body_base64, 'base64')));
      const forged = [];
      for (const d of signed) forged.push(await post(d, forge(Buffer.from(d.body_base64, 'base64'))));
      const get = await fetch(`${w.url}/hook/0`);
      const big = await post(deliveries[0], new Uint8Array(1024 * 1024 + 1).fill(0x20));
      const count = (list, pick) => list.filter(pick).length;
      return {
        skipped,
        cases: [
          {
            name: 'the bundle takes the Worker entry of @wooapi/webhooks (WebCrypto), not the node one',
            expect: { web: true, node: false },
            outcome: {
              web: inputs.some((i) => i.endsWith('@wooapi/webhooks/dist/index.js')),
              node: inputs.some((i) => i.endsWith('index.node.js') || i.includes('hmac/node')),
            },
          },
          {
            name: `the Fetch handler in workerd accepts every signed delivery (${signed.length}) and answers every ping (${pings.length}), over HTTP`,
            expect: { events: signed.length, pings: pings.length, other: [] },
            outcome: {
              events: count(
                answers,
                (a) =>
                  a.status === 200 && isDeepStrictEqual(a.body, { ok: true, kind: 'event', handled: true }),
              ),
              pings: count(answers, (a) => a.status === 200 && a.body.kind === 'ping'),
              other: answers.filter((a) => a.status !== 200).map((a) => a.body),
            },
          },
          {
            name: `the Fetch handler in workerd refuses each signed delivery with a byte changed (${signed.length})`,
            expect: { invalid_signature: signed.length },
            outcome: {
              invalid_signature: count(
                forged,
                (a) => a.status === 401 && a.body.error === 'invalid_signature',
              ),
            },
          },
          {
            name: 'the Fetch handler in workerd: a GET is 405, a body over 1 MiB is 413',
            expect: { get: 405, big: { status: 413, error: 'body_too_large' } },
            outcome: { get: get.status, big: { status: big.status, error: big.body.error } },
          },
        ],
      };
    } finally {
      await w.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The client Worker in workerd against the loopback store (started here, in Node). */
export async function clientInWorkerd(bin) {
  const { clientCases } = await import(join(stageDir, 'check', 'cases.mjs'));
  const { startStore } = await import(join(stageDir, 'check', 'store.mjs'));
  const { vectorsExpected } = await import(join(stageDir, 'check', 'expected.mjs'));
  const client = await import(join(stageDir, 'node_modules/@wooapi/client/dist/index.js'));
  const file = join(sharedDir, 'reference/recorded-11.0.1/oauth-examples.json');
  const examples = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).examples : [];
  const skipped = examples.length
    ? []
    : [`recorded OAuth requests skipped: ${file} not found (set WOOAPI_SHARED)`];
  const dir = mkdtempSync(join(tmpdir(), 'wooapi-workerd-'));
  const store = await startStore();
  try {
    const inputs = await bundleWorker('client-worker.mjs', join(dir, 'worker.mjs'));
    const w = await startWorkerd(bin, { dir, module: 'worker.mjs', allowLocal: true });
    try {
      const env = { url: store.url, otherUrl: store.otherUrl, refusedUrl: store.refusedUrl };
      const r = await fetch(`${w.url}/run`, { method: 'POST', body: JSON.stringify({ ...env, examples }) });
      const text = await r.text();
      let outcomes;
      try {
        outcomes = JSON.parse(text);
      } catch {
        throw new Error(`the client Worker answered ${r.status}: ${text.slice(0, 500)}\n${w.log()}`);
      }
      // The expectations, built in Node from the same cases (their `expect` only; nothing runs here).
      const cases = clientCases({ client, ...env, runtime: 'workerd' }).map((c) => ({
        name: c.name,
        perRuntime: c.perRuntime,
        expect: c.expect,
        outcome: outcomes[c.name],
      }));
      return {
        skipped,
        cases: [
          {
            name: "the bundle takes the client's WebCrypto HMAC and fetch-only dispatch, none of its Node files",
            expect: { node: [] },
            outcome: {
              node: inputs.filter((i) => i.includes('@wooapi/client/dist/') && i.includes('.node.')),
            },
          },
          ...cases,
          {
            name: `OAuth vectors: the client tests' cases against oauth-1.0a, and ${examples.length} requests a real store accepted`,
            expect: vectorsExpected(examples),
            outcome: outcomes.vectors,
          },
        ],
      };
    } finally {
      await w.close();
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Both, as one result like check.mjs's RESULT: runtime, version, failed, skipped, results. */
export async function workerdCheck(bin, version) {
  const parts = [await webhooksInWorkerd(bin), await clientInWorkerd(bin)];
  const results = {};
  const lines = [];
  let failed = 0;
  for (const c of parts.flatMap((p) => p.cases)) {
    const outcome = c.outcome === undefined ? null : JSON.parse(JSON.stringify(c.outcome));
    const ok = isDeepStrictEqual(outcome, c.expect);
    if (!ok) failed++;
    lines.push(
      ok
        ? `ok - ${c.name}`
        : `not ok - ${c.name}\n  expected ${JSON.stringify(c.expect)}\n  got      ${JSON.stringify(outcome)}`,
    );
    results[c.name] = { outcome, perRuntime: !!c.perRuntime };
  }
  return { runtime: 'workerd', version, failed, skipped: parts.flatMap((p) => p.skipped), results, lines };
}
