// The spec against what a real WooCommerce 11.0.1 store sent (../shared/reference/recorded-11.0.1): every recorded
// wc/v3 exchange, 2xx and error alike, validates against its operation's response for the recorded status (body
// and declared headers), and every signed webhook delivery against its topic's payload schema. The check is
// closed-world (closed-world.ts): a property the spec does not declare is a failure unless the schema leaves the
// object open on purpose. Records outside wc/v3 are left out by the named rules of recorded.ts. Per-file counts are
// printed as a table; `RECORDED_TRAFFIC_REPORT=file.json` also writes every failure, for working through them.
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { closedWorld } from './closed-world.js';
import {
  deref,
  hasShared,
  loadBundle,
  makeValidator,
  type OpenApiDoc,
  warnSharedMissing,
} from './helpers.js';
import {
  type Delivery,
  EXCLUSIONS,
  exclusionOf,
  findOperation,
  type HttpRecord,
  hasRecording,
  loadDeliveries,
  loadRecords,
  recordedDir,
  unwrapEnvelope,
} from './recorded.js';

type Node = Record<string, unknown>;
type Outcome = { valid: boolean; errors: string[]; undeclared: string[] };
type Row = {
  file: string;
  records: number;
  excluded: number;
  valid: number;
  invalid: number;
  undeclared: number;
};

/**
 * Ajv's unevaluatedProperties errors are the undeclared properties (`/line_items/0/image: srcset`). Where a oneOf or
 * anyOf failed, the branches that did not fit report every property of the value as unevaluated: those are noise
 * beside the failed oneOf (which is counted as an error), so they are dropped at that path.
 */
function split(errors: string[]): { undeclared: string[]; other: string[] } {
  const undeclared: string[] = [];
  const other: string[] = [];
  const branchFailures = new Set(
    errors.flatMap((e) => {
      const m = /^(\S*) must match (exactly one schema in oneOf|a schema in anyOf)/.exec(e);
      return m ? [m[1]] : [];
    }),
  );
  for (const e of errors) {
    const m = /^(\S*) must NOT have unevaluated properties \(\{"unevaluatedProperty":"([^"]+)"\}\)$/.exec(e);
    if (!m) other.push(e);
    else if (!branchFailures.has(m[1] as string)) undeclared.push(`${m[1]}: ${m[2]}`);
  }
  return { undeclared: [...new Set(undeclared)], other };
}

const headerValue = (headers: Record<string, string | string[]>, name: string): string | undefined => {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
};

// Headers a store sends on a list that pages; a response that sends them must declare them.
const PAGING_HEADERS = ['X-WP-Total', 'X-WP-TotalPages'];

function checkRecord(
  doc: OpenApiDoc,
  full: ReturnType<typeof makeValidator>,
  partial: ReturnType<typeof makeValidator>,
  r: HttpRecord,
): Outcome {
  const fail = (msg: string): Outcome => ({ valid: false, errors: [msg], undeclared: [] });
  const target = findOperation(doc, r);
  if (!target) return fail(`${r.method} ${r.path_template}: no operation in the spec`);
  const { status, headers, body } = unwrapEnvelope(r);
  const responses = (target.operation.responses ?? {}) as Node;
  const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => k in responses);
  if (!key) return fail(`${target.method.toUpperCase()} ${target.specPath} declares no ${status} response`);
  const { node: response, at: responseAt } = deref(doc, responses[key], `${target.at}/responses/${key}`);
  const errors: string[] = [];
  let undeclared: string[] = [];

  // Headers: each declared one that is present matches its schema, a required one is present, and a list that
  // pages (the store sent X-WP-Total) declares its paging headers.
  const declared = new Map<string, Node>();
  for (const [name, raw] of Object.entries(((response as Node).headers ?? {}) as Node)) {
    declared.set(name.toLowerCase(), deref(doc, raw, '').node as Node);
  }
  for (const [name, header] of declared) {
    const value = headerValue(headers, name);
    if (value === undefined) {
      if (header.required === true) errors.push(`header ${name}: required but not sent`);
      continue;
    }
    const schema = deref(doc, header.schema ?? {}, '').node as Node;
    if (schema?.type === 'integer' && !/^-?\d+$/.test(value.trim()))
      errors.push(`header ${name}: ${JSON.stringify(value)} is not an integer`);
  }
  for (const name of PAGING_HEADERS)
    if (headerValue(headers, name) !== undefined && !declared.has(name.toLowerCase()))
      errors.push(`header ${name}: sent by the store, not declared on the ${key} response`);
  const link = headerValue(headers, 'link');
  if (link && /rel="(next|prev)"/.test(link) && !declared.has('link'))
    errors.push('header Link: paging links sent by the store, not declared');

  // Body: HEAD has none; otherwise the declared JSON schema, or no content at all.
  if (r.method !== 'HEAD') {
    const media = ((response as Node).content as Node | undefined)?.['application/json'] as Node | undefined;
    const hasBody = r.response_text !== '' && body !== null && body !== undefined;
    if (!media?.schema) {
      if (hasBody) errors.push(`${key} response declares no application/json body, the store sent one`);
    } else if (!r.response_is_json) {
      errors.push(`${key} response: the store sent a body that is not JSON`);
    } else {
      const validator = '_fields' in (r.query ?? {}) ? partial : full;
      const result = validator.validate(`${responseAt}/content/application~1json/schema`, body);
      const parts = split(result.errors);
      undeclared = parts.undeclared;
      errors.push(...parts.other);
    }
  }
  return { valid: errors.length === 0 && undeclared.length === 0, errors, undeclared };
}

function checkDelivery(doc: OpenApiDoc, full: ReturnType<typeof makeValidator>, d: Delivery): Outcome {
  const topic = d.topic;
  const webhooks = (doc.webhooks ?? {}) as Node;
  const key =
    topic in webhooks ? topic : topic.startsWith('action.') && 'action.*' in webhooks ? 'action.*' : null;
  if (!key) return { valid: false, errors: [`no webhook ${topic} in the spec`], undeclared: [] };
  const { node: item, at } = deref(doc, webhooks[key], `#/webhooks/${key.replace(/\//g, '~1')}`);
  const post = (item as Node).post as Node | undefined;
  const { node: body, at: bodyAt } = deref(doc, post?.requestBody, `${at}/post/requestBody`);
  const media = ((body as Node | undefined)?.content as Node | undefined)?.['application/json'] as
    | Node
    | undefined;
  if (!media?.schema)
    return { valid: false, errors: [`webhook ${key} has no JSON body schema`], undeclared: [] };
  const result = full.validate(`${bodyAt}/content/application~1json/schema`, JSON.parse(d.body));
  const parts = split(result.errors);
  return {
    valid: parts.other.length === 0 && parts.undeclared.length === 0,
    errors: parts.other,
    undeclared: parts.undeclared,
  };
}

warnSharedMissing('recorded-traffic.test');
if (hasShared && !hasRecording) console.warn(`recorded-traffic.test skipped: ${recordedDir} not found`);

describe.skipIf(!hasShared || !hasRecording)(
  'the spec matches real traffic of a WooCommerce 11.0.1 store',
  () => {
    if (!hasShared || !hasRecording) return;
    const doc = loadBundle();
    const full = makeValidator(closedWorld(doc).doc);
    const partial = makeValidator(closedWorld(doc, { partial: true }).doc);
    const records = loadRecords();
    const deliveries = loadDeliveries();
    const rows = new Map<string, Row>();
    const failures: { where: string; errors: string[]; undeclared: string[] }[] = [];
    const excludedBy = new Map<string, number>();
    const row = (file: string): Row => {
      let r = rows.get(file);
      if (!r) {
        r = { file, records: 0, excluded: 0, valid: 0, invalid: 0, undeclared: 0 };
        rows.set(file, r);
      }
      return r;
    };

    const checked: { r: HttpRecord; outcome: Outcome }[] = [];
    for (const r of records) {
      const counts = row(r.file);
      counts.records++;
      const excluded = exclusionOf(r);
      if (excluded) {
        counts.excluded++;
        excludedBy.set(excluded.name, (excludedBy.get(excluded.name) ?? 0) + 1);
        continue;
      }
      const outcome = checkRecord(doc, full, partial, r);
      checked.push({ r, outcome });
      if (outcome.valid) counts.valid++;
      else {
        counts.invalid++;
        counts.undeclared += outcome.undeclared.length;
        failures.push({
          where: `${r.file} ${r.name}: ${r.method} ${r.path_template} -> ${r.status}`,
          ...outcome,
        });
      }
    }
    const signed = deliveries.filter((d) => !d.is_ping);
    const hooks = row('webhooks.jsonl');
    const hookOutcomes: { d: Delivery; outcome: Outcome }[] = [];
    for (const d of deliveries) {
      hooks.records++;
      if (d.is_ping) {
        // A ping is the form body `webhook_id=N`, unsigned; the ping webhook of the spec documents it as such.
        hooks.excluded++;
        excludedBy.set('unsigned ping', (excludedBy.get('unsigned ping') ?? 0) + 1);
        continue;
      }
      const outcome = checkDelivery(doc, full, d);
      hookOutcomes.push({ d, outcome });
      if (outcome.valid) hooks.valid++;
      else {
        hooks.invalid++;
        hooks.undeclared += outcome.undeclared.length;
        failures.push({ where: `webhooks.jsonl #${d.n} ${d.topic}`, ...outcome });
      }
    }

    afterAll(() => {
      const all = [...rows.values()];
      const total = all.reduce(
        (t, r) => ({
          file: 'total',
          records: t.records + r.records,
          excluded: t.excluded + r.excluded,
          valid: t.valid + r.valid,
          invalid: t.invalid + r.invalid,
          undeclared: t.undeclared + r.undeclared,
        }),
        { file: 'total', records: 0, excluded: 0, valid: 0, invalid: 0, undeclared: 0 },
      );
      console.table([...all, total]);
      console.log(
        `excluded: ${[...excludedBy].map(([name, n]) => `${name} ${n}`).join(', ')}; failures: ${failures.length}`,
      );
      if (process.env.RECORDED_TRAFFIC_REPORT)
        writeFileSync(
          process.env.RECORDED_TRAFFIC_REPORT,
          JSON.stringify({ rows: [...all, total], failures }, null, 1),
        );
    });

    it('reads the whole recording', () => {
      expect(records.length).toBeGreaterThan(900);
      expect(signed.length).toBeGreaterThan(80);
      expect(checked.length).toBeGreaterThan(900);
    });

    it('fails a property the spec does not declare, and passes one inside a deliberately open object', () => {
      // The check itself, on a real record: a product read, once with a property no schema has, once with a meta
      // value of any JSON shape (MetaData.value is open on purpose).
      const found = checked.find(
        ({ r }) => r.method === 'GET' && r.path_template === '/products/{id}' && r.status === 200,
      );
      expect(found, 'the recording has a product read').toBeDefined();
      const base = found?.r as HttpRecord;
      const body = base.response_body as Record<string, unknown>;
      const extra = checkRecord(doc, full, partial, {
        ...base,
        response_body: { ...body, not_in_the_spec: 1 },
      });
      expect(extra.valid).toBe(false);
      expect(extra.undeclared).toEqual(['/: not_in_the_spec']);
      const meta = [{ id: 1, key: 'k', value: { nested: [1, { any: 'shape' }] } }];
      expect(
        checkRecord(doc, full, partial, { ...base, response_body: { ...body, meta_data: meta } }),
      ).toEqual({
        valid: true,
        errors: [],
        undeclared: [],
      });
      const wrongType = checkRecord(doc, full, partial, { ...base, response_body: { ...body, id: 'x' } });
      expect(wrongType.errors).toContain('/id must be integer');
      // Headers: a paging header must be the integer its declaration says.
      const list = checked.find(
        ({ r }) => r.method === 'GET' && r.path_template === '/products' && r.status === 200,
      );
      expect(list, 'the recording has a product list').toBeDefined();
      const listed = list?.r as HttpRecord;
      const badTotal = checkRecord(doc, full, partial, {
        ...listed,
        response_headers: { ...listed.response_headers, 'x-wp-total': 'many' },
      });
      expect(badTotal.errors).toContain('header x-wp-total: "many" is not an integer');
    });

    it('leaves records out only by a named rule that still applies', () => {
      for (const rule of EXCLUSIONS) expect(excludedBy.get(rule.name) ?? 0, rule.name).toBeGreaterThan(0);
      // Every wc/v3 record that is not a no-route answer, the index or OPTIONS is checked.
      expect(records.length - checked.length).toBe(
        EXCLUSIONS.reduce((n, rule) => n + (excludedBy.get(rule.name) ?? 0), 0),
      );
    });

    for (const file of new Set(records.map((r) => r.file))) {
      it(`${file}: every wc/v3 exchange validates, closed-world`, () => {
        const broken = checked
          .filter(({ r, outcome }) => r.file === file && !outcome.valid)
          .map(({ r, outcome }) => ({
            record: `${r.name}: ${r.method} ${r.path_template} -> ${r.status}`,
            errors: outcome.errors.slice(0, 5),
            undeclared: outcome.undeclared.slice(0, 10),
          }));
        expect(broken).toEqual([]);
      });
    }

    it('webhooks.jsonl: every signed delivery validates against its topic, closed-world', () => {
      const broken = hookOutcomes
        .filter(({ outcome }) => !outcome.valid)
        .map(({ d, outcome }) => ({
          delivery: `#${d.n} ${d.topic}`,
          errors: outcome.errors.slice(0, 5),
          undeclared: outcome.undeclared.slice(0, 10),
        }));
      expect(broken).toEqual([]);
    });
  },
);
