// Every tool, called through the one call path (policy, input check, @wooapi/client) with arguments built from the
// spec's own examples, against the real Prism mock: the mock accepts each call with a 2xx.

import { type MockServer, startMock } from '@wooapi/mock';
import { resolveRef } from '@wooapi/spec/ref';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createGateway, type Gateway, type ToolDefinition } from '../dist/index.js';
import { auditLines, loadBundle, newAjv, storeEnv, tempDir, writeFile } from './helpers.js';

// Real processes (wooapi-mcp, Prism) on a 2-core machine shared with parallel builds: generous limits, the
// assertions decide.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 120_000 });

const ajv = newAjv({ strict: false });
const doc = loadBundle();
const dir = tempDir();
const auditFile = `${dir}/audit.jsonl`;

/** Arguments for `tool` from the spec alone: example path values, required query values, the example body. */
function exampleArgs(tool: ToolDefinition): Record<string, unknown> {
  const item = resolveRef(doc, doc.paths[tool.path]);
  const op = item[tool.method.toLowerCase()];
  const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: unknown) =>
    resolveRef(doc, p),
  );
  const sample = (p: any) => {
    const s = resolveRef(doc, p?.schema ?? {}) ?? {};
    return (
      p?.example ??
      s.examples?.[0] ??
      s.example ??
      s.enum?.[0] ??
      s.default ??
      (s.type === 'string' ? 'general' : 1)
    );
  };
  const args: Record<string, unknown> = {};
  for (const [flat, b] of Object.entries(tool.args)) {
    const p = params.find((x: any) => x.in === b.in && x.name === b.name);
    if (b.in === 'path' || (b.in === 'query' && p?.required)) args[flat] = sample(p);
  }
  const media = resolveRef(doc, op.requestBody ?? {})?.content?.['application/json'];
  const body = media
    ? (media.example ?? resolveRef(doc, Object.values<any>(media.examples ?? {})[0] ?? {})?.value)
    : undefined;
  if (body !== undefined) {
    const whole = Object.entries(tool.args).find(([, b]) => b.in === 'body' && b.name === '');
    if (whole) args[whole[0]] = body;
    else
      for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
        const flat = Object.entries(tool.args).find(([, b]) => b.in === 'body' && b.name === k)?.[0];
        if (flat) args[flat] = v;
      }
  }
  return args;
}

describe('every tool against the real mock', () => {
  let mock: MockServer;
  let gateway: Gateway;
  beforeAll(async () => {
    mock = await startMock();
    const probe = createGateway({
      policy: writeFile(dir, 'probe.yaml', 'agents:\n  probe: {}\n'),
      env: storeEnv(mock.url),
      audit: auditFile,
    });
    const everything = probe.registry.toolsets.map((t) => `      ${t}: full`).join('\n');
    gateway = createGateway({
      policy: writeFile(
        dir,
        'all.yaml',
        `agents:\n  admin:\n    resources:\n${everything}\n    actions: { refund: on, delete: on, batch: on, send_customer_email: on, run_system_tool: on }\n`,
      ),
      env: storeEnv(mock.url),
      audit: auditFile,
    });
  });
  afterAll(async () => {
    await mock?.stop();
  });

  it('offers all tools to an agent with every toolset at full', () => {
    expect(gateway.session('admin').listTools().length).toBe(gateway.registry.tools.length);
  });

  it("each call built from the spec's examples is accepted with a 2xx and its result matches the outputSchema", async () => {
    const session = gateway.session('admin');
    const failures: string[] = [];
    for (const tool of gateway.registry.tools) {
      const result = await session.call(tool.name, exampleArgs(tool));
      if (result.isError) failures.push(`${tool.name}: ${result.content[0]?.text}`);
      else if (tool.outputSchema) {
        const validate = ajv.compile(tool.outputSchema);
        if (!validate(result.structuredContent))
          failures.push(
            `${tool.name}: structuredContent breaks the outputSchema ${JSON.stringify(validate.errors?.[0])}`,
          );
      }
    }
    expect(failures).toEqual([]);
    const lines = auditLines(auditFile).filter((l) => l.agent === 'admin');
    expect(lines.length).toBe(gateway.registry.tools.length);
    for (const l of lines) {
      expect(l.decision).toBe('allowed');
      expect(l.status).toBeGreaterThanOrEqual(200);
      expect(l.status).toBeLessThan(300);
    }
  });
});
