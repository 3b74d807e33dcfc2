import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type MockServer, prefer, startMock } from '../dist/index.js';
import {
  basicAuth,
  concretePath,
  exampleRequest,
  groupAlive,
  loadBundle,
  operations,
  resolveRef,
  responseExample,
  waitFor,
} from './helpers.js';

// Real processes (Prism, Chromium) on a machine busy with parallel turbo tasks outlast vitest's 5 s default.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 90_000 });

const doc = loadBundle();
const ops = operations(doc);
const listProducts = ops.find((o) => o.op.operationId === 'listProducts');
const getProduct = ops.find((o) => o.op.operationId === 'getProduct');
const createProduct = ops.find((o) => o.op.operationId === 'createProduct');

describe('startMock, static answers', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMock();
  }, 60_000);
  afterAll(() => mock?.stop());

  it('listens on a free port of 127.0.0.1 and gives the store root and the API root', () => {
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mock.port).toBeGreaterThan(0);
    expect(mock.url).toBe(`http://127.0.0.1:${mock.port}`);
    expect(mock.apiUrl).toBe(`${mock.url}/wp-json/wc/v3`);
  });

  it('answers GET {url}/wp-json/wc/v3/products with the spec example and the paging headers', async () => {
    expect(listProducts, 'the spec has listProducts').toBeDefined();
    const res = await fetch(`${mock.url}/wp-json/wc/v3/products`, { headers: basicAuth });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(responseExample(doc, listProducts!.op, '200'));
    expect(Number(res.headers.get('x-wp-total'))).toBeGreaterThanOrEqual(0);
    expect(Number(res.headers.get('x-wp-totalpages'))).toBeGreaterThanOrEqual(0);
    expect(res.headers.get('link')).toMatch(/rel="(next|prev)"/);
  });

  it('answers every list operation with X-WP-Total, X-WP-TotalPages and Link', async () => {
    const lists = ops.filter((o) => o.method === 'get' && /^list/.test(o.op.operationId));
    expect(lists.length).toBeGreaterThan(0);
    const missing: string[] = [];
    for (const { path } of lists) {
      const res = await fetch(`${mock.apiUrl}${concretePath(path)}`, { headers: basicAuth });
      await res.arrayBuffer();
      for (const header of ['x-wp-total', 'x-wp-totalpages', 'link']) {
        if (res.status !== 200 || res.headers.get(header) === null)
          missing.push(`${path}: ${res.status} ${header}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('answers every operation of the spec with a 2xx when sent its own examples', async () => {
    const failures: string[] = [];
    for (const { path, method, op } of ops) {
      const { url, init } = exampleRequest(doc, path, method, op);
      const res = await fetch(`${mock.apiUrl}${url}`, init);
      const text = await res.text();
      if (res.status < 200 || res.status >= 300) {
        failures.push(
          `${op.operationId}: ${res.status} ${(res.headers.get('sl-violations') ?? text).slice(0, 200)}`,
        );
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers every method a store accepts: the x-wc-method-aliases of updates and batches, and HEAD on every GET', async () => {
    const failures: string[] = [];
    let aliases = 0;
    for (const { path, method, op } of ops) {
      const extra: string[] = [...(op['x-wc-method-aliases'] ?? []), ...(method === 'get' ? ['head'] : [])];
      for (const alias of extra) {
        aliases++;
        const { url, init } = exampleRequest(doc, path, method, op);
        const res = await fetch(`${mock.apiUrl}${url}`, { ...init, method: alias.toUpperCase() });
        const text = await res.text();
        if (res.status < 200 || res.status >= 300)
          failures.push(`${alias.toUpperCase()} ${path}: ${res.status} ${text.slice(0, 120)}`);
        else if (alias === 'head' && text !== '') failures.push(`HEAD ${path}: answered a body`);
      }
    }
    // 36 operations declare two aliases each (every update and batch route), and every GET has HEAD.
    expect(aliases).toBeGreaterThanOrEqual(72 + ops.filter((o) => o.method === 'get').length);
    expect(failures).toEqual([]);
    // A method the store does not serve on a route is still refused.
    const res = await fetch(`${mock.apiUrl}/products`, { method: 'PATCH', headers: basicAuth });
    await res.arrayBuffer();
    expect(res.status).toBe(405);
  });

  it('answers 401 to a request without credentials (Prism checks the security schemes)', async () => {
    const res = await fetch(`${mock.apiUrl}/products`);
    expect(res.status).toBe(401);
    const body = await res.json();
    expect(body).toMatchObject({ code: expect.any(String), data: { status: 401 } });
  });

  it('answers 400 or 422 to an invalid body and says what broke in sl-violations', async () => {
    expect(createProduct, 'the spec has createProduct').toBeDefined();
    const res = await fetch(`${mock.apiUrl}/products`, {
      method: 'POST',
      headers: { ...basicAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 42, regular_price: 19.99 }),
    });
    await res.arrayBuffer();
    expect([400, 422]).toContain(res.status);
    expect(res.headers.get('sl-violations')).toMatch(/request\W+body/);
  });

  it('steers one request with prefer({ code: 404 })', async () => {
    expect(getProduct, 'the spec has getProduct').toBeDefined();
    const res = await fetch(`${mock.apiUrl}/products/1`, {
      headers: { ...basicAuth, ...prefer({ code: 404 }) },
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual(responseExample(doc, getProduct!.op, '404'));
  });

  it('answers a generated body to prefer({ dynamic: true }) on a static server', async () => {
    const example = responseExample(doc, getProduct!.op, '200') as Record<string, unknown>;
    const res = await fetch(`${mock.apiUrl}/products/1`, {
      headers: { ...basicAuth, ...prefer({ dynamic: true }) },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(typeof body.id).toBe('number');
    expect(body).not.toEqual(example);
  });

  const with429 = ops.find((o) => resolveRef(doc, o.op.responses?.['429']));
  if (!with429)
    console.warn(
      'skipped: the spec declares no 429 response, so the mock cannot answer prefer({ code: 429 })',
    );
  it.skipIf(!with429)('answers prefer({ code: 429 }) where the spec declares a 429', async () => {
    const { path, method } = with429!;
    const res = await fetch(`${mock.apiUrl}${concretePath(path)}`, {
      method: method.toUpperCase(),
      headers: { ...basicAuth, ...prefer({ code: 429 }) },
    });
    await res.arrayBuffer();
    expect(res.status).toBe(429);
  });
});

describe('startMock, dynamic answers', () => {
  it('generates data from the schemas, different from the examples', async () => {
    const mock = await startMock({ dynamic: true });
    try {
      const res = await fetch(`${mock.apiUrl}/products/1`, { headers: basicAuth });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(typeof body.id).toBe('number');
      expect(body).not.toEqual(responseExample(doc, getProduct!.op, '200'));
      const list = await fetch(`${mock.apiUrl}/products`, { headers: basicAuth });
      expect(Array.isArray(await list.json())).toBe(true);
      expect(list.headers.get('x-wp-total')).not.toBeNull();
    } finally {
      await mock.stop();
    }
  }, 60_000);
});

describe('startMock lifecycle', () => {
  it('stop() ends Prism and its process group, and can be called twice', async () => {
    const mock = await startMock();
    expect(groupAlive(mock.pid)).toBe(true);
    await Promise.all([mock.stop(), mock.stop()]);
    expect(groupAlive(mock.pid)).toBe(false);
    await expect(fetch(`${mock.url}/`)).rejects.toThrow();
  }, 60_000);

  it('leaves no process behind when the parent is killed (SIGKILL)', async () => {
    const script = `
      import { startMock } from ${JSON.stringify(fileURLToPath(new URL('../dist/index.js', import.meta.url)))};
      const m = await startMock();
      console.log(JSON.stringify({ pid: m.pid, url: m.url }));
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const info = await new Promise<{ pid: number; url: string }>((resolve, reject) => {
      parent.stdout.once('data', (chunk: Buffer) => resolve(JSON.parse(chunk.toString())));
      parent.once('exit', (code) => reject(new Error(`parent exited early (${code})`)));
    });
    expect(groupAlive(info.pid)).toBe(true);
    parent.kill('SIGKILL');
    expect(await waitFor(() => !groupAlive(info.pid), 8000)).toBe(true);
    await expect(fetch(`${info.url}/`)).rejects.toThrow();
  }, 60_000);

  it('rejects with a clear error when the given port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startMock({ port })).rejects.toThrow(/EADDRINUSE|address already in use/i);
    } finally {
      blocker.close();
    }
  }, 60_000);

  it('rejects bad options at the edge', async () => {
    await expect(startMock({ port: 70000 })).rejects.toThrow(/port must be an integer from 0 to 65535/);
    await expect(startMock({ spec: '/nonexistent/openapi.json' })).rejects.toThrow(
      /Cannot read the OpenAPI document/,
    );
  });
});

describe('prefer()', () => {
  it('builds the Prefer header Prism reads', () => {
    expect(prefer({ code: 404 })).toEqual({ Prefer: 'code=404' });
    expect(prefer({ code: 200, example: 'variable', dynamic: false })).toEqual({
      Prefer: 'code=200, example=variable, dynamic=false',
    });
    expect(prefer({ dynamic: true, seed: 'abc' })).toEqual({ Prefer: 'dynamic=true, seed=abc' });
  });
  it('rejects what Prism would not understand', () => {
    expect(() => prefer({})).toThrow(/at least one/);
    expect(() => prefer({ code: 42 })).toThrow(/HTTP status/);
    expect(() => prefer({ example: 'two words' })).toThrow(/example name/);
    // @ts-expect-error dynamic is a boolean
    expect(() => prefer({ dynamic: 'yes' })).toThrow(/true or false/);
  });
});

describe('the wooapi-mock command', () => {
  it('serves the mock, prints its URL, and stops cleanly on SIGINT', async () => {
    const bin = fileURLToPath(new URL('../bin/wooapi-mock.js', import.meta.url));
    const child = spawn(process.execPath, [bin], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PORT: '', MOCK_PORT: '' },
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const m = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`wooapi-mock exited (${code}): ${out}`)));
    });
    const res = await fetch(`${url}/wp-json/wc/v3/products`, { headers: basicAuth });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/`)).rejects.toThrow();
  });
});
