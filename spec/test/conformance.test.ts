// Conformance with WooCommerce's official REST API docs: every docs example (request or response body) whose route and
// method the spec describes must validate against the spec's schema for that operation (request body schema, or the
// response schema of the example's status). The spec is read from the bundle, so resources land here as they are
// added. Where the docs are wrong, the example is listed in errata/*.ts by its index, with the reason; an erratum
// must still fail (else it is no erratum and must leave the list), so the list cannot rot.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  deref,
  HTTP_METHODS,
  hasShared,
  loadBundle,
  makeValidator,
  type OpenApiDoc,
  pathShape,
  pointer,
  sharedDir,
  warnSharedMissing,
} from './helpers.js';
import type { Erratum } from './errata/types.js';

type DocsExample = {
  index: number;
  method: string | null;
  path: string | null;
  path_source: string | null;
  kind: 'request' | 'response';
  status: number | null;
  scope?: string;
  body: unknown;
};

// Docs examples known to be wrong, by name, one file per resource group in errata/ (so that groups can be added
// without editing a shared list). Add one only with the reason and the error it must keep producing.
const errataModules = import.meta.glob<{ ERRATA: Erratum[] }>('./errata/*.ts', { eager: true });
export const ERRATA: Erratum[] = Object.values(errataModules).flatMap((m) => m.ERRATA ?? []);

const examplesPath = path.join(sharedDir, 'reference/rest-api-docs-v3/examples.json');
const caseName = (e: DocsExample) =>
  `#${e.index} ${e.method} ${e.path_source} ${e.kind}${e.kind === 'response' ? ` ${e.status}` : ''}`;

type Located = { ok: true; schemaAt: string } | { ok: false; outOfScope: boolean; why: string };

/** Finds the schema a docs example must match: the operation by route shape and method, then body or status. */
function locate(doc: OpenApiDoc, e: DocsExample): Located {
  if (!e.path_source || !e.method) return { ok: false, outOfScope: true, why: 'not a wc/v3 route' };
  const shape = pathShape(e.path_source);
  const specPath = Object.keys(doc.paths ?? {}).find((p) => pathShape(p) === shape);
  if (!specPath) return { ok: false, outOfScope: true, why: 'route not in the spec' };
  const { node: item, at: itemAt } = deref(doc, doc.paths?.[specPath], pointer('paths', specPath));
  const ops = item as Record<string, Record<string, unknown> | undefined>;
  let method = e.method.toLowerCase();
  // WooCommerce takes POST, PUT and PATCH alike on update and batch routes; the spec documents one of them.
  if (!ops[method] && ['post', 'put', 'patch'].includes(method)) {
    method = ['put', 'post', 'patch'].find((m) => ops[m]) ?? method;
  }
  const op = ops[method];
  if (!op || !(HTTP_METHODS as readonly string[]).includes(method)) {
    return { ok: false, outOfScope: true, why: `method ${e.method} not in the spec` };
  }
  const opAt = `${itemAt}/${method}`;
  if (e.kind === 'request') {
    const { node: body, at: bodyAt } = deref(doc, op.requestBody, `${opAt}/requestBody`);
    const media = (body as { content?: Record<string, { schema?: unknown }> } | undefined)?.content?.[
      'application/json'
    ];
    if (!media?.schema)
      return {
        ok: false,
        outOfScope: false,
        why: `${method.toUpperCase()} ${specPath} has no application/json request body`,
      };
    return { ok: true, schemaAt: `${bodyAt}/content/application~1json/schema` };
  }
  const responses = (op.responses ?? {}) as Record<string, unknown>;
  const key = String(e.status);
  if (!(key in responses)) {
    return {
      ok: false,
      outOfScope: false,
      why: `${method.toUpperCase()} ${specPath} declares no ${key} response`,
    };
  }
  const { node: resp, at: respAt } = deref(doc, responses[key], `${opAt}/responses/${key}`);
  const media = (resp as { content?: Record<string, { schema?: unknown }> } | undefined)?.content?.[
    'application/json'
  ];
  if (!media?.schema)
    return {
      ok: false,
      outOfScope: false,
      why: `${key} response of ${specPath} has no application/json schema`,
    };
  return { ok: true, schemaAt: `${respAt}/content/application~1json/schema` };
}

warnSharedMissing('conformance.test');

describe.skipIf(!hasShared)('official docs examples conform to the spec', () => {
  if (!hasShared) return; // vitest may still collect a skipped suite; there is nothing to read
  const examples = JSON.parse(readFileSync(examplesPath, 'utf8')) as DocsExample[];
  const doc = loadBundle();
  const validator = makeValidator(doc);
  const errata = new Map(ERRATA.map((e) => [e.index, e]));
  const counts = { validated: 0, errata: 0, pendingErrata: 0, outOfScope: 0 };
  const outOfScopeRoutes = new Set<string>();

  const inScope: { e: DocsExample; loc: Located }[] = [];
  for (const e of examples) {
    const loc = locate(doc, e);
    if (!loc.ok && loc.outOfScope) {
      counts.outOfScope++;
      if (e.path_source) outOfScopeRoutes.add(`${e.method} ${e.path_source}`);
      if (errata.has(e.index)) counts.pendingErrata++;
      continue;
    }
    if (errata.has(e.index)) counts.errata++;
    else counts.validated++;
    inScope.push({ e, loc });
  }

  afterAll(() => {
    console.info(
      `conformance: ${counts.validated} docs examples validated, ${counts.errata} errata (still failing as listed), ` +
        `${counts.outOfScope} out of scope (${outOfScopeRoutes.size} routes+methods not in the spec yet` +
        `${counts.pendingErrata ? `, ${counts.pendingErrata} errata among them` : ''})`,
    );
  });

  it('the errata list names real examples', () => {
    for (const err of ERRATA) {
      const e = examples.find((x) => x.index === err.index);
      expect(e, `erratum #${err.index} is not in examples.json`).toBeDefined();
      expect({ method: e?.method, route: e?.path_source, kind: e?.kind }).toEqual({
        method: err.method,
        route: err.route,
        kind: err.kind,
      });
      expect(err.reason.length, `erratum #${err.index} needs a reason`).toBeGreaterThan(20);
    }
  });

  it('some docs examples are in scope', () => {
    // Reports and webhooks are always in the spec; nothing in scope means the matching is broken.
    expect(inScope.length).toBeGreaterThan(0);
  });

  const valid = inScope.filter(({ e }) => !errata.has(e.index));
  it.each(valid.map((c) => [caseName(c.e), c] as const))('%s', (_name, { e, loc }) => {
    if (!loc.ok) expect.fail(loc.why);
    const { errors } = validator.validate(loc.schemaAt, e.body);
    expect(errors, `docs example #${e.index} does not match ${loc.schemaAt}`).toEqual([]);
  });

  const listed = inScope.filter(({ e }) => errata.has(e.index));
  it.each(listed.map((c) => [caseName(c.e), c] as const))(
    'erratum %s still fails as documented',
    (_name, { e, loc }) => {
      const err = errata.get(e.index) as Erratum;
      if (!loc.ok) {
        // The erratum is about the operation's shape itself (e.g. a status the spec rightly does not declare).
        expect(loc.why).toMatch(err.failsWith);
        return;
      }
      const { valid: ok, errors } = validator.validate(loc.schemaAt, e.body);
      expect(ok, `erratum #${e.index} now validates: remove it from ERRATA (${err.reason})`).toBe(false);
      expect(errors.join('\n')).toMatch(err.failsWith);
    },
  );
});
