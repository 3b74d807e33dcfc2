// Every example the bundle carries validates against the schema it illustrates, checked with Ajv (JSON Schema 2020-12)
// on the bundle that consumers read. Redocly's lint rules check the same on the split files; this is the second,
// independent check, and it also covers parameter, header and schema-level examples.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bundlePath,
  deref,
  HTTP_METHODS,
  loadBundle,
  makeValidator,
  type OpenApiDoc,
  pointer,
  specDir,
} from './helpers.js';

type Case = { name: string; schemaAt: string; value: unknown };
type Node = Record<string, unknown>;

const isObj = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Collects the examples of one media type, parameter or header object (`example`, or `examples` map entries). */
function holderExamples(
  doc: OpenApiDoc,
  holder: Node,
  holderAt: string,
  label: string,
  used: Set<string>,
): Case[] {
  const out: Case[] = [];
  if (!isObj(holder.schema)) return out;
  const schemaAt = `${holderAt}/schema`;
  if ('example' in holder) out.push({ name: `${label} example`, schemaAt, value: holder.example });
  if (isObj(holder.examples)) {
    for (const [key, raw] of Object.entries(holder.examples)) {
      const ref = isObj(raw) && typeof raw.$ref === 'string' ? raw.$ref : null;
      if (ref?.startsWith('#/components/examples/')) used.add(ref.slice('#/components/examples/'.length));
      const { node } = deref(doc, raw, `${holderAt}/examples/${key}`);
      if (!isObj(node) || !('value' in node)) continue; // externalValue examples live outside the document
      out.push({
        name: `${label} examples.${key}${ref ? ` (${ref.split('/').pop()})` : ''}`,
        schemaAt,
        value: node.value,
      });
    }
  }
  return out;
}

// Keys whose values are data, not schemas: never look for schema examples inside them.
const DATA_KEYS = new Set(['example', 'examples', 'default', 'enum', 'const']);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

/** Schema-level `examples` (array) and `example`, anywhere inside a schema, with the pointer of their schema. */
function schemaExamples(schema: unknown, at: string, label: string, out: Case[], seen: Set<unknown>): void {
  if (!isObj(schema) || seen.has(schema)) return;
  seen.add(schema);
  if (Array.isArray(schema.examples)) {
    schema.examples.forEach((value, i) => {
      out.push({ name: `${label} schema examples[${i}]`, schemaAt: at, value });
    });
  }
  if ('example' in schema) out.push({ name: `${label} schema example`, schemaAt: at, value: schema.example });
  for (const [key, child] of Object.entries(schema)) {
    if (DATA_KEYS.has(key) || key.startsWith('x-')) continue;
    const childAt = `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (Array.isArray(child)) {
      child.forEach((c, i) => {
        schemaExamples(c, `${childAt}/${i}`, label, out, seen);
      });
    } else if (SCHEMA_MAPS.has(key) && isObj(child)) {
      // A map of names to schemas: a property may be called `example` or `default` without being one.
      for (const [name, sub] of Object.entries(child)) {
        schemaExamples(sub, `${childAt}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`, label, out, seen);
      }
    } else if (isObj(child)) {
      schemaExamples(child, childAt, label, out, seen);
    }
  }
}

function collect(doc: OpenApiDoc): { cases: Case[]; used: Set<string> } {
  const cases: Case[] = [];
  const used = new Set<string>();
  const seenHolders = new Set<string>();
  const addHolder = (raw: unknown, at: string, label: string) => {
    const { node, at: where } = deref(doc, raw, at);
    if (!isObj(node) || seenHolders.has(where)) return node;
    seenHolders.add(where);
    cases.push(...holderExamples(doc, node, where, label, used));
    return node;
  };

  for (const section of ['paths', 'webhooks'] as const) {
    for (const [p, rawItem] of Object.entries(doc[section] ?? {})) {
      const { node: item, at: itemAt } = deref(doc, rawItem, pointer(section, p));
      if (!isObj(item)) continue;
      (Array.isArray(item.parameters) ? item.parameters : []).forEach((prm, i) => {
        addHolder(prm, `${itemAt}/parameters/${i}`, `${p} parameter ${i}`);
      });
      for (const method of HTTP_METHODS) {
        const op = item[method];
        if (!isObj(op)) continue;
        const opAt = `${itemAt}/${method}`;
        const opLabel = `${method.toUpperCase()} ${p}`;
        (Array.isArray(op.parameters) ? op.parameters : []).forEach((prm, i) => {
          const { node } = deref(doc, prm, `${opAt}/parameters/${i}`);
          addHolder(prm, `${opAt}/parameters/${i}`, `${opLabel} parameter ${isObj(node) ? node.name : i}`);
        });
        const { node: body, at: bodyAt } = deref(doc, op.requestBody, `${opAt}/requestBody`);
        if (isObj(body) && isObj(body.content)) {
          for (const mt of Object.keys(body.content)) {
            addHolder(
              body.content[mt],
              `${bodyAt}/content/${mt.replace(/\//g, '~1')}`,
              `${opLabel} request ${mt}`,
            );
          }
        }
        for (const [status, rawResp] of Object.entries(isObj(op.responses) ? op.responses : {})) {
          const { node: resp, at: respAt } = deref(doc, rawResp, `${opAt}/responses/${status}`);
          if (!isObj(resp)) continue;
          for (const [h, rawHeader] of Object.entries(isObj(resp.headers) ? resp.headers : {})) {
            addHolder(
              rawHeader,
              `${respAt}/headers/${h.replace(/~/g, '~0').replace(/\//g, '~1')}`,
              `${opLabel} ${status} header ${h}`,
            );
          }
          for (const mt of Object.keys(isObj(resp.content) ? resp.content : {})) {
            addHolder(
              (resp.content as Node)[mt],
              `${respAt}/content/${mt.replace(/\//g, '~1')}`,
              `${opLabel} ${status} ${mt}`,
            );
          }
        }
      }
    }
  }
  // Components that may hold examples even when no operation reaches them through the walk above.
  for (const kind of ['parameters', 'headers'] as const) {
    for (const [name, raw] of Object.entries(doc.components?.[kind] ?? {})) {
      addHolder(raw, pointer('components', kind, name), `components.${kind}.${name}`);
    }
  }
  // Schema-level examples: every component schema, and every inline schema of a parameter, header or media type.
  const seenSchemas = new Set<unknown>();
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
    schemaExamples(
      schema,
      pointer('components', 'schemas', name),
      `components.schemas.${name}`,
      cases,
      seenSchemas,
    );
  }
  const walkForSchemas = (node: unknown, at: string, depth: number): void => {
    if (!isObj(node) || depth > 12) return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'example' || k === 'examples' || k.startsWith('x-')) continue;
      const childAt = `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (k === 'schema') schemaExamples(v, childAt, at.replace(/~1/g, '/'), cases, seenSchemas);
      else if (Array.isArray(v)) {
        v.forEach((c, i) => {
          walkForSchemas(c, `${childAt}/${i}`, depth + 1);
        });
      } else walkForSchemas(v, childAt, depth + 1);
    }
  };
  walkForSchemas(doc.paths, '#/paths', 0);
  walkForSchemas(doc.webhooks, '#/webhooks', 0);
  walkForSchemas(doc.components, '#/components', 0);
  return { cases, used };
}

const bundleReady = existsSync(bundlePath);

describe('examples in the bundle', () => {
  if (!bundleReady) {
    it('needs the bundle', () => {
      expect.fail(`${bundlePath} not found: build the spec first (pnpm build; turbo run test builds it).`);
    });
    return;
  }
  const doc = loadBundle();
  const validator = makeValidator(doc);
  const { cases, used } = collect(doc);

  it('finds examples to check', () => {
    // A walk that found nothing would make every other test here vacuous.
    expect(cases.length).toBeGreaterThan(0);
    console.info(`examples.test: ${cases.length} examples checked against their schemas`);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { valid, errors } = validator.validate(c.schemaAt, c.value);
    expect(errors, `example does not match ${c.schemaAt}`).toEqual([]);
    expect(valid).toBe(true);
  });

  it('every component example is used by some media type (so it is checked above)', () => {
    const unused = Object.keys(doc.components?.examples ?? {}).filter((n) => !used.has(n));
    expect(unused, 'component examples that no request or response references').toEqual([]);
  });

  it('the bundle itself passes the lint rules', () => {
    const redocly = path.join(specDir, 'node_modules/.bin/redocly');
    let output = '';
    let status = 0;
    try {
      output = execFileSync(redocly, ['lint', '--format=stylish', '--max-problems=50', bundlePath], {
        cwd: specDir,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', NO_COLOR: '1' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (err) {
      const e = err as { status?: number; stdout?: string; stderr?: string };
      status = e.status ?? 1;
      output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
    }
    expect(status, output).toBe(0);
  }, 60_000);
});
