// Real WooCommerce 11.0.1 answers (../shared/reference/recorded-11.0.1) against each tool's outputSchema, shaped
// as the tool shapes them: what an MCP client validates structuredContent against must accept what stores send.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRegistry, shapeResult, type ToolDefinition } from '../dist/index.js';
import { hasShared, newAjv, sharedDir, warnSharedMissing } from './helpers.js';

warnSharedMissing('outputs.test.ts (recorded answers against outputSchema)');
const registry = loadRegistry();
const trafficDir = path.join(sharedDir, 'reference/recorded-11.0.1/traffic');

interface Exchange {
  name: string;
  method: string;
  path_template: string | null;
  status: number;
  query?: Record<string, unknown>;
  response_is_json: boolean;
  response_body: unknown;
  response_headers: Record<string, string | string[]>;
}

function exchanges(): Exchange[] {
  if (!hasShared) return [];
  return readdirSync(trafficDir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) =>
      readFileSync(path.join(trafficDir, f), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Exchange),
    );
}

/** The tool a recorded request maps to: same path, same method, or an update verb (POST/PUT/PATCH all update). */
function toolFor(x: Exchange): ToolDefinition | undefined {
  const same = registry.tools.filter((t) => t.path === x.path_template);
  return (
    same.find((t) => t.method === x.method) ??
    (['POST', 'PUT', 'PATCH'].includes(x.method)
      ? same.find((t) => ['POST', 'PUT', 'PATCH'].includes(t.method))
      : undefined)
  );
}

describe.skipIf(!hasShared)('outputSchemas accept real answers', () => {
  // `_envelope` asks WordPress to wrap the answer (status and headers in the body); a tool never sends it.
  const cases = exchanges().filter(
    (x) => x.status >= 200 && x.status < 300 && x.response_is_json && !('_envelope' in (x.query ?? {})),
  );
  const ajv = newAjv({ strict: false, allErrors: true });
  const byTool = new Map<ToolDefinition, Exchange[]>();
  for (const x of cases) {
    const t = toolFor(x);
    if (t?.outputSchema) byTool.set(t, [...(byTool.get(t) ?? []), x]);
  }

  it('covers most tools with a recorded 2xx answer', () => {
    expect(cases.length).toBeGreaterThan(500);
    expect(byTool.size).toBeGreaterThan(120);
  });

  it.each([...byTool].map(([t, xs]) => [t.name, t, xs] as [string, ToolDefinition, Exchange[]]))(
    '%s: every recorded 2xx answer passes its outputSchema',
    (_name, tool, xs) => {
      const validate = ajv.compile(tool.outputSchema as object);
      for (const x of xs) {
        const h = (k: string) => {
          const v = x.response_headers[k];
          return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
        };
        const page = Number((x.query as Record<string, unknown> | undefined)?.page ?? 1);
        const structured = shapeResult(
          tool,
          x.response_body,
          { page },
          { total: h('x-wp-total'), totalPages: h('x-wp-totalpages') },
        );
        const ok = validate(structured);
        expect(ok, `${x.name}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
        if (tool.list) expect(typeof (structured as { total: unknown }).total).toBe('number');
      }
    },
  );
});
