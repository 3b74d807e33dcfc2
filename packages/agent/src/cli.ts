// wooapi-mcp: the MCP server (stdio or Streamable HTTP), plus token helpers. Bad input stops it before it serves.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createGateway } from './gateway.js';
import { serveHttp, sha256Hex } from './mcp/http.js';
import { serveStdio } from './mcp/stdio.js';

const USAGE = `wooapi-mcp: WooCommerce tools for AI agents, under a per-agent policy

  wooapi-mcp --policy FILE [--agent NAME]            stdio (Claude Desktop/Code, Cursor, VS Code)
  wooapi-mcp --policy FILE --http [--port N]         Streamable HTTP on 127.0.0.1, one bearer token per agent
  wooapi-mcp hash-token                              the SHA-256 of a token read from stdin, for token_sha256
  wooapi-mcp new-token                               a fresh random token and its SHA-256

Options:
  --toolsets a,b     only these toolsets (orders, products, ...)
  --tools x,y        only these tools (added to --toolsets)
  --read-only        only tools that read (overrides the rest)
  --discovery        three tools: search_operations, describe_operation, call_operation
  --spec FILE        build the tools from this bundled spec (your extended openapi.json)
  --audit FILE       append the audit to FILE ("stderr" by default, or audit.file in the policy)
  --host H           loopback address to bind for --http (127.0.0.1 by default)

The store: WOOCOMMERCE_URL, WOOCOMMERCE_KEY, WOOCOMMERCE_SECRET (or store.* in the policy).`;

const list = (v: string | undefined) =>
  v
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'hash-token') {
    const token = await readStdin();
    if (!token)
      throw new Error('hash-token: give the token on stdin, e.g. printf %s "$TOKEN" | wooapi-mcp hash-token');
    process.stdout.write(`${sha256Hex(token)}\n`);
    return;
  }
  if (argv[0] === 'new-token') {
    const token = randomBytes(32).toString('base64url');
    process.stdout.write(`token:        ${token}\ntoken_sha256: ${sha256Hex(token)}\n`);
    return;
  }
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      policy: { type: 'string' },
      agent: { type: 'string' },
      http: { type: 'boolean' },
      port: { type: 'string' },
      host: { type: 'string' },
      toolsets: { type: 'string' },
      tools: { type: 'string' },
      'read-only': { type: 'boolean' },
      discovery: { type: 'boolean' },
      spec: { type: 'string' },
      audit: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const toolsets = list(values.toolsets);
  const tools = list(values.tools);
  const gateway = createGateway({
    policy: values.policy as string,
    ...(values.spec ? { spec: values.spec } : {}),
    ...(values.audit ? { audit: values.audit } : {}),
    selection: {
      ...(toolsets ? { toolsets } : {}),
      ...(tools ? { tools } : {}),
      ...(values['read-only'] ? { readOnly: true } : {}),
    },
    ...(values.discovery ? { discovery: true } : {}),
  });

  if (values.http) {
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new Error(`--port ${values.port}: not a port number`);
    const withTokens = [...gateway.policy.agents.values()].filter((a) => a.tokenSha256);
    if (!withTokens.length) {
      throw new Error(
        `policy ${gateway.policy.file}: no agent has token_sha256, so no one could call the HTTP server; add one (wooapi-mcp new-token)`,
      );
    }
    const handle = await serveHttp({
      sessions: withTokens.map((a) => gateway.session(a.name)),
      tokenHashes: new Map(withTokens.map((a) => [a.name, a.tokenSha256 as string])),
      audit: gateway.audit,
      store: gateway.store.host,
      port,
      ...(values.host ? { host: values.host } : {}),
    });
    process.stderr.write(
      `wooapi-mcp: agents ${withTokens.map((a) => a.name).join(', ')} at ${handle.url} (store ${gateway.store.host})\n`,
    );
    const stop = () => void handle.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return;
  }
  const session = gateway.session(values.agent ?? gateway.policy.stdioAgent);
  await serveStdio(session);
  process.stderr.write(
    `wooapi-mcp: agent ${session.agent.name}, ${session.listTools().length} tools over stdio (store ${gateway.store.host})\n`,
  );
  process.stdin.once('end', () => process.exit(0));
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`wooapi-mcp: ${error.message}\n`);
  process.exit(2);
});
