// The legacy v2 document's x-wc-* extensions across the bundle, and its routes against the live v2 index: what
// lint rules cannot see, such as x-wc-v3-operation naming a real operation of the wc/v3 bundle, and the v3
// parameters and fields it names existing on that operation.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pathMethods } from '../lib/aliases.mjs';
import { deref, hasShared, loadBundle, sharedDir, specDir } from './helpers';

// biome-ignore lint/suspicious/noExplicitAny: walking the untyped bundles
type Any = any;
const legacy = JSON.parse(readFileSync(path.join(specDir, 'dist/legacy-v2.json'), 'utf8')) as Any;
const v3 = loadBundle() as Any;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const opsOf = (doc: Any, section: 'paths' | 'webhooks') =>
  Object.entries<Any>(doc[section] ?? {}).flatMap(([p, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ path: p, method, op: item[method] as Any })),
  );
const operations = opsOf(legacy, 'paths');
const receivers = opsOf(legacy, 'webhooks');
const v3ById = new Map([...opsOf(v3, 'paths'), ...opsOf(v3, 'webhooks')].map((o) => [o.op.operationId, o]));
const topics = Object.keys(legacy.webhooks ?? {});
const label = (o: { method: string; path: string; op: Any }) =>
  `${o.op.operationId} (${o.method.toUpperCase()} ${o.path})`;

/** The property names of a v3 operation's success body (an item of a list or of a batch), through $ref and allOf/oneOf. */
function v3Fields(op: Any): Set<string> {
  const ok = op.responses?.['200'] ?? op.responses?.['201'];
  const resp = deref(v3, ok, '').node as Any;
  const out = new Set<string>();
  const walk = (node: Any, depth: number): void => {
    const s = deref(v3, node, '').node as Any;
    if (!s || depth > 4) return;
    // A batch answers {create: [...], update: [...], delete: [...]}: the fields are those of an item.
    const inner = s.type === 'array' ? s.items : s.properties?.create;
    if (inner) {
      walk(inner, depth + 1);
      return;
    }
    for (const k of Object.keys(s.properties ?? {})) out.add(k);
    for (const alt of [...(s.allOf ?? []), ...(s.oneOf ?? []), ...(s.anyOf ?? [])]) walk(alt, depth + 1);
  };
  walk(resp?.content?.['application/json']?.schema, 0);
  return out;
}

/** The property names of a legacy schema (an item of a list), through $ref and oneOf/anyOf/allOf. */
function v2Fields(schema: Any): Set<string> {
  const out = new Set<string>();
  const walk = (node: Any, depth: number): void => {
    const s = deref(legacy, node, '').node as Any;
    if (!s || depth > 4) return;
    if (s.type === 'array') {
      walk(s.items, depth + 1);
      return;
    }
    for (const k of Object.keys(s.properties ?? {})) out.add(k);
    for (const alt of [...(s.allOf ?? []), ...(s.oneOf ?? []), ...(s.anyOf ?? [])]) walk(alt, depth + 1);
  };
  walk(schema, 0);
  return out;
}

/** Operations with a wc/v3 counterpart whose answer is a resource in its envelope (not a count or a message). */
const withResourceBody = operations
  .filter((o) => o.op['x-wc-v3-operation'].operationId)
  .map((o) => {
    const ok = o.op.responses['200'] ?? o.op.responses['201'];
    const body = deref(legacy, (deref(legacy, ok, '').node as Any)?.content?.['application/json']?.schema, '')
      .node as Any;
    const keys = Object.keys(body?.properties ?? {});
    return {
      ...o,
      resource:
        keys.length === 1 && !['count', 'message'].includes(keys[0] as string)
          ? body.properties[keys[0] as string]
          : undefined,
    };
  })
  .filter((o) => o.resource);

describe('legacy v2: x-wc-v3-operation, the migration map', () => {
  it('the document has the 65 operations of the 41 routes and 13 deliveries', () => {
    expect(withResourceBody.length).toBeGreaterThan(40);
    expect(Object.keys(legacy.paths)).toHaveLength(41);
    expect(operations).toHaveLength(65);
    expect(receivers).toHaveLength(13);
  });

  it.each([...operations, ...receivers].map((o) => [label(o), o]))(
    '%s names a wc/v3 operation or what to do instead',
    (_n, { op }) => {
      const m = op['x-wc-v3-operation'];
      expect(m, 'x-wc-v3-operation').toBeTypeOf('object');
      if (m.operationId === null) expect(m.instead).toMatch(/\w.{20,}/);
      else expect([...v3ById.keys()]).toContain(m.operationId);
    },
  );

  it.each(operations.filter((o) => o.op['x-wc-v3-operation'].operationId).map((o) => [label(o), o]))(
    '%s: every v3 parameter and field it names exists on the v3 operation',
    (_n, { op }) => {
      const m = op['x-wc-v3-operation'];
      const target = v3ById.get(m.operationId) as Any;
      const item = v3.paths[target.path];
      const names = new Set(
        [...(item.parameters ?? []), ...(target.op.parameters ?? [])].map(
          (p: Any) => (deref(v3, p, '').node as Any).name,
        ),
      );
      // `_fields` and `_jsonp` are WordPress' global parameters, valid on every route.
      const missing = Object.values<string | null>(m.parameters ?? {}).filter(
        (p) => p && !p.startsWith('_') && !names.has(p),
      );
      expect(missing, `parameters of ${m.operationId}`).toEqual([]);
      const fields = v3Fields(target.op);
      const absent = Object.values<string | null>(m.fields ?? {}).filter((f) => f && !fields.has(f));
      expect(absent, `fields of ${m.operationId}`).toEqual([]);
    },
  );

  // The migration page says that fields it does not list keep their name: so a v2 answer's field that the map leaves
  // out must exist on the v3 operation's answer (a v3 rename then shows up here, not as a wrong migration page).
  it.each(withResourceBody.map((o) => [label(o), o]))(
    '%s: every field of the v2 answer is mapped or keeps its name in wc/v3',
    (_n, { op, resource }) => {
      const m = op['x-wc-v3-operation'];
      const v3Names = v3Fields((v3ById.get(m.operationId) as Any).op);
      const unmapped = [...v2Fields(resource)].filter((f) => !(f in (m.fields ?? {})) && !v3Names.has(f));
      expect(unmapped, `v2 fields of ${op.operationId} that ${m.operationId} does not have`).toEqual([]);
    },
  );

  it('every operation says how errors and, for paged lists, paging differ', () => {
    for (const o of operations) {
      const d = o.op['x-wc-v3-operation'].differences.join(' ');
      if (o.op['x-wc-v3-operation'].operationId) expect(d, label(o)).toMatch(/Errors: v2 answers/);
      if (o.op.parameters?.some((p: Any) => deref(legacy, p, '').node.name === 'page'))
        expect(d, label(o)).toMatch(/Paging: v2/);
    }
  });
});

describe('legacy v2: the other x-wc-* extensions', () => {
  it.each(operations.map((o) => [label(o), o]))(
    '%s: permission, resource and webhook event',
    (_n, { method, op }) => {
      expect(op['x-wc-permission']).toBe(method === 'get' ? 'read' : 'write');
      expect(op['x-wc-resource']).toMatch(/^[a-z_]+$/);
      const event = op['x-wc-webhook-event'];
      if (event !== null) {
        expect(topics).toContain(event);
        expect(event.split('.')[0]).toBe(op['x-wc-resource']);
      }
    },
  );

  it('every resource topic has its delivery, signed with the seven X-WC-Webhook-* headers', () => {
    expect(topics.sort()).toEqual(
      ['coupon', 'customer', 'order', 'product']
        .flatMap((r) => ['created', 'deleted', 'updated'].map((e) => `${r}.${e}`))
        .concat('ping')
        .sort(),
    );
    for (const t of topics.filter((x) => x !== 'ping')) {
      const names = legacy.webhooks[t].post.parameters.map(
        (p: Any) => (deref(legacy, p, '').node as Any).name,
      );
      expect(names, t).toHaveLength(7);
      expect(
        names.every((n: string) => n.startsWith('X-WC-Webhook-')),
        t,
      ).toBe(true);
    }
  });
});

const indexRecord = path.join(sharedDir, 'reference/recorded-legacy-v2/traffic/reads.jsonl');
const hasIndex = hasShared && existsSync(indexRecord);
if (!hasIndex)
  console.warn(
    `legacy-v2 route coverage skipped: ${indexRecord} not found (set WOOAPI_SHARED to the shared folder)`,
  );

describe.skipIf(!hasIndex)(
  'legacy v2: every route and method of the live index (GET /wc-api/v2/, WooCommerce 11.0.1)',
  () => {
    const rec = hasIndex
      ? readFileSync(indexRecord, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l))
          .find((r) => r.name === 'get-index')
      : undefined;
    const routes: Record<string, { supports: string[] }> = rec?.response_body?.store?.routes ?? {};
    const toPath = (route: string) => route.replace(/<(\w+)>/g, '{$1}');

    it('the index has 41 routes, and the document exactly those', () => {
      expect(Object.keys(routes)).toHaveLength(41);
      expect(Object.keys(legacy.paths).sort()).toEqual(Object.keys(routes).map(toPath).sort());
    });

    it.each(Object.entries(routes))(
      '%s: the document serves exactly the methods the index lists',
      (route, { supports }) => {
        // One operation per endpoint, as in wc/v3: HEAD is GET without the body; an item route's POST, PUT and PATCH
        // are one update (put, x-wc-method-aliases [patch, post]); a bulk route's one bulk (post, [patch, put]).
        const served = [...pathMethods(legacy.paths[toPath(route)]).keys()];
        expect(served.sort()).toEqual(supports.map((m) => m.toLowerCase()).sort());
      },
    );
  },
);
