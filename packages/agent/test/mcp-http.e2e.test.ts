// The scenario over Streamable HTTP: one `wooapi-mcp --http` on 127.0.0.1, each agent by its bearer token.
import { request } from 'node:http';
import { type MockServer, startMock } from '@wooapi/mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  auditLines,
  connectHttp,
  eventually,
  type HttpServerProcess,
  runCli,
  startHttpServer,
  storeEnv,
  tempDir,
  writeFile,
} from './helpers.js';
import { policyText, scenario, TOKENS } from './scenario.js';

// Real processes (wooapi-mcp, Prism) on a 2-core machine shared with parallel builds: generous limits, the
// assertions decide.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

describe('wooapi-mcp over Streamable HTTP', () => {
  // One server per set of flags, as a user would run them.
  const servers = new Map<string, Promise<HttpServerProcess>>();
  scenario(
    async (ctx, agent, flags = []) => {
      const key = flags.join(' ');
      if (!servers.has(key))
        servers.set(key, startHttpServer(['--policy', ctx.policy, ...flags], storeEnv(ctx.mock.url)));
      const server = await (servers.get(key) as Promise<HttpServerProcess>);
      const c = await connectHttp(server.url, TOKENS[agent]);
      return { ...c, stderr: server.stderr };
    },
    async () => {
      for (const s of servers.values()) await (await s).stop();
    },
  );
});

describe('HTTP: tokens, hosts, binding', () => {
  let mock: MockServer;
  let server: HttpServerProcess;
  let dir: string;
  beforeAll(async () => {
    mock = await startMock();
    dir = tempDir();
    server = await startHttpServer(
      ['--policy', writeFile(dir, 'policy.yaml', policyText())],
      storeEnv(mock.url),
    );
  });
  afterAll(async () => {
    await server?.stop();
    await mock?.stop();
  });

  const post = (headers: Record<string, string>) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(server.url);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            ...headers,
          },
        },
        (res) => {
          let body = '';
          res.on('data', (d) => {
            body += d;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }));
    });

  it("each token sees its own agent's tools", async () => {
    const reader = await connectHttp(server.url, TOKENS.reader);
    const ops = await connectHttp(server.url, TOKENS['store-ops']);
    const r = (await reader.client.listTools()).tools.map((t) => t.name);
    const o = (await ops.client.listTools()).tools.map((t) => t.name);
    expect(r).toContain('list_customers');
    expect(o).not.toContain('list_customers');
    expect(o).toContain('update_order');
    expect(r).not.toContain('update_order');
    await reader.close();
    await ops.close();
  });

  it('no token, a wrong token, another host name or a foreign origin: refused, and the refusals are audited without the token', async () => {
    expect((await post({})).status).toBe(401);
    expect((await post({ authorization: 'Bearer not-a-token' })).status).toBe(401);
    await expect(connectHttp(server.url, 'tok-guess')).rejects.toThrow();
    const rebinding = await post({ authorization: `Bearer ${TOKENS.reader}`, host: 'evil.example:80' });
    expect(rebinding.status).toBe(403);
    const page = await post({ authorization: `Bearer ${TOKENS.reader}`, origin: 'https://evil.example' });
    expect(page.status).toBe(403);
    expect(JSON.parse(page.body).error.message).toBe(
      'Origin "https://evil.example" may not call this server',
    );
    expect((await post({ authorization: `Bearer ${TOKENS.reader}` })).status).toBe(200);
    const lines = await eventually(() => {
      const l = auditLines(`${dir}/audit.jsonl`).filter((x) => x.via === 'http');
      return l.length >= 3 ? l : undefined;
    });
    expect(lines.map((l) => l.rule)).toEqual(
      expect.arrayContaining(['no bearer token', 'unknown bearer token']),
    );
    expect(lines[0].sentence).toMatch(/^an unidentified caller: denied \((no|unknown) bearer token\)$/);
    expect(JSON.stringify(lines)).not.toContain('not-a-token');
  });

  it('refuses to bind anything but loopback, and to serve HTTP when no agent has a token', async () => {
    const r = await runCli(
      ['--policy', writeFile(dir, 'p2.yaml', policyText()), '--http', '--host', '0.0.0.0'],
      storeEnv(mock.url),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      '--host 0.0.0.0: wooapi-mcp serves plain HTTP with bearer tokens, so it binds to loopback only',
    );
    const none = await runCli(
      ['--policy', writeFile(dir, 'p3.yaml', 'agents:\n  a: { resources: { orders: read } }\n'), '--http'],
      storeEnv(mock.url),
    );
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no agent has token_sha256/);
  });
});
