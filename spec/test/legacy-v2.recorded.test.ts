// The legacy v2 document against real traffic: every record of ../shared/reference/recorded-legacy-v2 (reads, order
// reads, auth variants) must match an operation, a declared status and, closed-world, the declared body schema: an
// undeclared property fails unless the schema deliberately leaves that object open.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { operationFor } from '../lib/aliases.mjs';
import {
  deref,
  hasShared,
  makeValidator,
  type OpenApiDoc,
  pathShape,
  pointer,
  sharedDir,
  specDir,
} from './helpers';

const legacyPath = path.join(specDir, 'dist/legacy-v2.json');
const recordedDir = path.join(sharedDir, 'reference/recorded-legacy-v2/traffic');
const FILES = ['reads.jsonl', 'orders-reads.jsonl', 'auth.jsonl'];
const present = hasShared && existsSync(recordedDir);
if (!present)
  console.warn(
    `legacy-v2 recorded traffic skipped: ${recordedDir} not found (set WOOAPI_SHARED to the shared folder)`,
  );

type Rec = {
  name: string;
  method: string;
  path_template: string;
  query: Record<string, string>;
  request_headers: Record<string, string>;
  request_body: unknown;
  request_body_is_json: boolean | null;
  status: number;
  response_headers: Record<string, string | string[]>;
  response_body: unknown;
  response_is_json: boolean;
  response_text: string;
};
const records: [string, Rec][] = present
  ? FILES.flatMap((f) =>
      readFileSync(path.join(recordedDir, f), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => [f, JSON.parse(l) as Rec] as [string, Rec]),
    )
  : [];

const doc = JSON.parse(readFileSync(legacyPath, 'utf8')) as OpenApiDoc;
const v = makeValidator(doc);
const byShape = new Map(Object.keys(doc.paths ?? {}).map((p) => [pathShape(p), p]));
/** Credentials and the method override are not operation parameters. */
const notParameters = (k: string) => /^(oauth_|consumer_key$|consumer_secret$|_method$)/.test(k);

// biome-ignore lint/suspicious/noExplicitAny: walking the untyped bundle
type Any = any;
function operationOf(r: Rec): { path: string; method: string; op: Any } | string {
  const p = byShape.get(pathShape(r.path_template));
  if (!p) return `no path ${r.path_template}`;
  const override = r.query._method ?? r.request_headers['X-HTTP-Method-Override'];
  const method = (override ?? r.method).toLowerCase();
  // HEAD is GET without the body; POST and PATCH on an item route are its update (x-wc-method-aliases).
  const served = operationFor((doc.paths as Any)[p], method);
  return served
    ? { path: p, method: served.documented, op: served.operation }
    : `no ${method.toUpperCase()} on ${p}`;
}

/** Problems of one record; [] when it is valid. */
function check(r: Rec): string[] {
  const found = operationOf(r);
  if (typeof found === 'string') return [found];
  const { path: p, method, op } = found;
  const problems: string[] = [];
  const params = [...((doc.paths as Any)[p].parameters ?? []), ...(op.parameters ?? [])].map(
    (x: Any) => deref(doc, x, '').node as Any,
  );
  for (const key of Object.keys(r.query).filter((k) => !notParameters(k))) {
    const m = /^(\w+)\[(\w+)\]$/.exec(key);
    const param = params.find((x: Any) => x.in === 'query' && x.name === (m ? m[1] : key));
    if (!param) problems.push(`query ${key} is not a parameter of ${op.operationId}`);
    else if (m && !(deref(doc, param.schema, '').node as Any)?.properties?.[m[2] as string])
      problems.push(`query ${key}: ${m[1]} has no property ${m[2]} in ${op.operationId}`);
  }
  if (r.request_body_is_json && r.request_body != null) {
    const res = v.validate(
      pointer('paths', p, method, 'requestBody', 'content', 'application/json', 'schema'),
      r.request_body,
    );
    if (!res.valid) problems.push(`request body: ${res.errors.join('; ')}`);
  }
  const declared = op.responses?.[String(r.status)];
  if (!declared) return [...problems, `status ${r.status} is not declared on ${op.operationId}`];
  const { node: response, at } = deref(
    doc,
    declared,
    pointer('paths', p, method, 'responses', String(r.status)),
  );
  const headers = (response as Any).headers ?? {};
  for (const h of Object.keys(r.response_headers).filter((h) => h.startsWith('x-wc-') || h === 'link')) {
    const name = Object.keys(headers).find((d) => d.toLowerCase() === h);
    if (!name) problems.push(`header ${h} is not declared on ${op.operationId} ${r.status}`);
    else {
      const schema = (deref(doc, headers[name], '').node as Any).schema;
      const raw = r.response_headers[h];
      const value = schema?.type === 'integer' ? Number(raw) : raw;
      if (schema?.type === 'integer' && !Number.isInteger(value))
        problems.push(`header ${h}: ${raw} is not an integer`);
    }
  }
  for (const name of Object.keys(headers).filter((d) => /^X-WC-Total/.test(d)))
    if (!(name.toLowerCase() in r.response_headers))
      problems.push(`declared header ${name} missing from the answer`);
  if (r.method === 'HEAD') return problems;
  let body = r.response_body;
  if (r.query._jsonp && r.status < 300) {
    const m = /^\/\*\*\/[\w.]+\(([\s\S]*)\)$/.exec(r.response_text);
    if (!m) return [...problems, `JSONP answer is not /**/callback(...): ${r.response_text.slice(0, 40)}`];
    body = JSON.parse(m[1] as string);
  } else if (!r.response_is_json) return [...problems, `answer is not JSON: ${r.response_text.slice(0, 40)}`];
  const media = (response as Any).content?.['application/json'];
  if (!media) return [...problems, `no application/json content on ${op.operationId} ${r.status}`];
  const base = at.startsWith('#/components')
    ? at
    : pointer('paths', p, method, 'responses', String(r.status));
  const res = v.validate(`${base}/content/application~1json/schema`, body);
  if (!res.valid) problems.push(...res.errors.slice(0, 5).map((e) => `body ${e}`));
  return problems;
}

describe.skipIf(!present)(
  'legacy v2: recorded traffic of WooCommerce 11.0.1 with the Legacy REST API plugin',
  () => {
    it('holds the three shared record files, order reads included', () => {
      const counts = Object.fromEntries(FILES.map((f) => [f, records.filter(([g]) => g === f).length]));
      expect(counts).toEqual({ 'reads.jsonl': 175, 'orders-reads.jsonl': 103, 'auth.jsonl': 46 });
      expect(
        records.filter(([, r]) => r.path_template.startsWith('/orders') && r.status === 200).length,
      ).toBeGreaterThan(80);
    });

    it('every record matches an operation, a declared status, its parameters and its body schema (100%)', () => {
      const failures = records
        .map(([f, r]) => [`${f}:${r.name}`, check(r)] as const)
        .filter(([, p]) => p.length);
      expect(Object.fromEntries(failures)).toEqual({});
    });

    it('closed world: a property the schema does not declare fails, an open object takes any key', () => {
      const product = records.find(([, r]) => r.name === 'get-product-variable')?.[1];
      expect(product, 'record get-product-variable').toBeDefined();
      const rec = structuredClone(product as Rec);
      expect(check(rec)).toEqual([]);
      (rec.response_body as Any).product.undeclared_field = 1;
      expect(check(rec).join('\n')).toMatch(/must NOT have additional properties.*undeclared_field/);
      const open = structuredClone(product as Rec);
      (open.response_body as Any).product.product_meta = { any_key: ['any', 'value'] };
      expect(check(open)).toEqual([]);
    });

    it('an undeclared query parameter or filter fails', () => {
      const list = records.find(
        ([, r]) => r.path_template === '/products' && r.status === 200 && r.method === 'GET',
      )?.[1];
      const rec = structuredClone(list as Rec);
      rec.query = { ...rec.query, 'filter[nonsense]': '1', per_page: '5' };
      expect(check(rec)).toEqual([
        'query filter[nonsense]: filter has no property nonsense in listProducts',
        'query per_page is not a parameter of listProducts',
      ]);
    });
  },
);
