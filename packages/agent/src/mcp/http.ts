// Streamable HTTP transport on 127.0.0.1: each request names its agent with a bearer token, which is hashed and
// compared in constant time against the policy's token hashes (only hashes are stored). Stateless: each POST gets
// its own MCP server over the agent's session.
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  createServer,
  type Server as HttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Audit } from '../audit.js';
import type { AgentSession } from '../session.js';
import { createMcpServer } from './server.js';

export interface HttpOptions {
  /** Sessions by agent name; only agents with a token hash can be reached. */
  sessions: AgentSession[];
  /** token_sha256 by agent name. */
  tokenHashes: Map<string, string>;
  audit: Audit;
  store: string;
  host?: string;
  port?: number;
  /** Largest request body accepted, in bytes (default 4 MiB). */
  maxBodyBytes?: number;
}

export interface HttpHandle {
  url: string;
  port: number;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

export const sha256Hex = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

function send(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message }, id: null }));
}

async function readBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw Object.assign(new Error(`request body over ${limit} bytes`), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw Object.assign(new Error('the body is not JSON'), { status: 400 });
  }
}

export async function serveHttp(options: HttpOptions): Promise<HttpHandle> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) {
    throw new Error(
      `--host ${host}: wooapi-mcp serves plain HTTP with bearer tokens, so it binds to loopback only (127.0.0.1, ::1); put a TLS proxy in front of it to reach it from elsewhere`,
    );
  }
  const limit = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const byAgent = new Map(options.sessions.map((s) => [s.agent.name, s]));
  const hashes = [...options.tokenHashes].map(([agent, hex]) => ({ agent, digest: Buffer.from(hex, 'hex') }));
  const refuse = (rule: string) =>
    options.audit.record({
      agent: null,
      tool: null,
      operationId: null,
      action: null,
      resource: null,
      resourceId: null,
      store: options.store,
      decision: 'denied',
      rule,
      status: null,
      durationMs: 0,
      via: 'http',
    });

  /** Every hash is compared, so the time does not tell which agent (or whether any) matched. */
  const agentOf = (req: IncomingMessage): string | undefined => {
    const header = req.headers.authorization;
    const m = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!m) return undefined;
    const digest = createHash('sha256')
      .update(m[1] as string, 'utf8')
      .digest();
    let found: string | undefined;
    for (const h of hashes) if (timingSafeEqual(digest, h.digest) && !found) found = h.agent;
    return found;
  };

  let port = options.port ?? 0;
  const server: HttpServer = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== '/mcp') return send(res, 404, 'not found: the MCP endpoint is /mcp');
      // DNS rebinding: a browser page elsewhere must not reach a loopback server through its own host name.
      const hostHeader = req.headers.host ?? '';
      if (!new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]).has(hostHeader))
        return send(res, 403, `Host ${JSON.stringify(hostHeader)} is not this server`);
      // A browser page may only reach this server from a loopback origin of its own.
      const origin = req.headers.origin;
      if (typeof origin === 'string' && origin !== 'null') {
        let host = '';
        try {
          host = new URL(origin).hostname;
        } catch {}
        if (!LOOPBACK_HOSTS.has(host.replace(/^\[|\]$/g, '')))
          return send(res, 403, `Origin ${JSON.stringify(origin)} may not call this server`);
      }
      const agent = agentOf(req);
      if (!agent) {
        refuse(req.headers.authorization ? 'unknown bearer token' : 'no bearer token');
        return send(res, 401, 'unauthorized: send Authorization: Bearer <the agent token>', {
          'www-authenticate': 'Bearer realm="wooapi-mcp"',
        });
      }
      const session = byAgent.get(agent);
      if (!session) return send(res, 401, 'unauthorized');
      if (req.method !== 'POST')
        return send(res, 405, 'only POST: this server is stateless', { allow: 'POST' });
      const body = await readBody(req, limit);
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      const mcp = createMcpServer(session);
      res.on('close', () => {
        void transport.close();
        void mcp.close();
      });
      await mcp.connect(transport);
      await transport.handleRequest(req, res, body);
    } catch (error) {
      const status = (error as { status?: number }).status ?? 500;
      if (!res.headersSent) send(res, status, (error as Error).message);
      else res.end();
    }
  });
  // Keep idle connections longer than clients do (undici: 4 s), so a client never reuses a socket the server is
  // closing at that moment ("other side closed").
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const shown = host === '::1' ? '[::1]' : host;
  return {
    url: `http://${shown}:${port}/mcp`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
