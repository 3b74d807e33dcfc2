// Rules learned from real traffic (test/recorded-traffic.test.ts), kept true on every edit of the spec. Each is a
// rule about the store, not about a record: where Redocly's configurable rules cannot express one (a `$ref` target,
// a sibling parameter, a union), it lives here and reads the bundle. README.md ("Rules") lists them.
import { describe, expect, it } from 'vitest';
import { deref, HTTP_METHODS, loadBundle, makeValidator, type OpenApiDoc, pointer } from './helpers.js';

type Node = Record<string, unknown>;
const isObj = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

const doc = loadBundle();
const schemas = (doc.components?.schemas ?? {}) as Record<string, Node>;
const ref = (name: string) => `#/components/schemas/${name}`;

type Op = { path: string; method: string; op: Node; at: string };
const operations: Op[] = Object.entries(doc.paths ?? {}).flatMap(([path, raw]) => {
  const { node: item, at } = deref(doc, raw, pointer('paths', path));
  return HTTP_METHODS.filter((m) => isObj((item as Node)?.[m])).map((method) => ({
    path,
    method,
    op: (item as Node)[method] as Node,
    at: `${at}/${method}`,
  }));
});
const label = (o: Op) => `${o.method.toUpperCase()} ${o.path} (${String(o.op.operationId)})`;

/** The response object of `status` (resolved), or undefined. */
function response(d: OpenApiDoc, o: Op, status: string): Node | undefined {
  const raw = ((o.op.responses ?? {}) as Node)[status];
  return raw === undefined ? undefined : (deref(d, raw, '').node as Node);
}
const jsonSchema = (r: Node | undefined): Node | undefined =>
  ((r?.content as Node | undefined)?.['application/json'] as Node | undefined)?.schema as Node | undefined;
/** The `$ref`s a schema is made of: itself, or the members of its oneOf/anyOf. */
const refsOf = (s: Node | undefined): string[] => {
  if (!s) return [];
  if (typeof s.$ref === 'string') return [s.$ref];
  return ([...((s.oneOf as Node[]) ?? []), ...((s.anyOf as Node[]) ?? [])] as Node[]).flatMap((m) =>
    typeof m.$ref === 'string' ? [m.$ref] : ['(inline)'],
  );
};

describe('rules learned from a real store', () => {
  it("a line item's image is the one shared OrderLineItemImage, whose id takes all three forms the store sends", () => {
    const lineItems = Object.entries(schemas).filter(
      ([name, s]) => /LineItem$/.test(name) && isObj(s.properties),
    );
    expect(lineItems.map(([name]) => name)).toEqual(
      expect.arrayContaining(['OrderLineItem', 'RefundLineItem']),
    );
    for (const [name, s] of lineItems) {
      const image = (s.properties as Node).image as Node | undefined;
      expect(image, `${name} has an image`).toBeDefined();
      expect(image?.$ref, `${name}.image`).toBe(ref('OrderLineItemImage'));
    }
    const v = makeValidator(doc);
    for (const id of [4, '4', '', 0])
      expect(v.validate(ref('OrderLineItemImage'), { id, src: '' }).valid, JSON.stringify(id)).toBe(true);
    for (const id of ['abc', null, 4.5])
      expect(v.validate(ref('OrderLineItemImage'), { id, src: '' }).valid, JSON.stringify(id)).toBe(false);
  });

  it('every date is the shared WooDateTime (no offset), or WooDateTimeOrNull where the store sends null', () => {
    const dates = new Set([ref('WooDateTime'), ref('WooDateTimeOrNull')]);
    const wrong: string[] = [];
    let seen = 0;
    const walk = (s: unknown, at: string) => {
      if (!isObj(s)) return;
      for (const [name, prop] of Object.entries((s.properties ?? {}) as Node)) {
        if (/^date_/.test(name) && isObj(prop) && prop.type !== 'object') {
          seen++;
          if (!dates.has(String(prop.$ref))) wrong.push(`${at}.${name}`);
        }
        walk(prop, `${at}.${name}`);
      }
      walk(s.items, `${at}[]`);
    };
    for (const [name, s] of Object.entries(schemas)) walk(s, name);
    expect(seen).toBeGreaterThan(40);
    expect(wrong).toEqual([]);
    const v = makeValidator(doc);
    expect(v.validate(ref('WooDateTime'), '2026-03-22T16:28:02').valid).toBe(true);
    expect(v.validate(ref('WooDateTime'), '2026-03-22T16:28:02Z').valid).toBe(false);
    expect(v.validate(ref('WooDateTimeOrNull'), null).valid).toBe(true);
  });

  it('every list that pages (a page parameter) declares X-WP-Total, X-WP-TotalPages and Link on its 200', () => {
    const paged = operations.filter((o) =>
      ((o.op.parameters ?? []) as unknown[]).some((p) => (deref(doc, p, '').node as Node)?.name === 'page'),
    );
    expect(paged.length).toBeGreaterThan(15);
    const missing = paged.flatMap((o) => {
      const headers = (response(doc, o, '200')?.headers ?? {}) as Node;
      return ['X-WP-Total', 'X-WP-TotalPages', 'Link']
        .filter((h) => (headers[h] as Node | undefined)?.$ref !== `#/components/headers/${h}`)
        .map((h) => `${label(o)}: ${h}`);
    });
    expect(missing).toEqual([]);
  });

  it('every error response (4xx, 5xx) is the shared error envelope', () => {
    const family = new Set([ref('WooError'), ref('WooErrorBareData')]);
    const wrong = operations.flatMap((o) =>
      Object.keys((o.op.responses ?? {}) as Node)
        .filter((status) => /^[45]/.test(status) && !o.path.startsWith('webhook'))
        .flatMap((status) => {
          const schema = jsonSchema(response(doc, o, status));
          const refs = refsOf(schema);
          return refs.length > 0 && refs.every((r) => family.has(r)) && refs.includes(ref('WooError'))
            ? []
            : [`${label(o)} ${status}: ${JSON.stringify(refs)}`];
        }),
    );
    expect(wrong).toEqual([]);
    // And every operation that takes input WordPress validates (a query parameter or a body) declares that 400.
    const takesInput = (o: Op) =>
      isObj(o.op.requestBody) ||
      ((o.op.parameters ?? []) as unknown[]).some((p) => (deref(doc, p, '').node as Node)?.in === 'query');
    const no400 = operations.filter((o) => takesInput(o) && !(o.op.responses as Node)['400']).map(label);
    expect(no400).toEqual([]);
  });

  it('every batch answers its result or the empty batch [], declares 413, and lets any item be an error', () => {
    const batches = operations.filter((o) => /^batch/.test(String(o.op.operationId)));
    expect(batches.length).toBeGreaterThanOrEqual(16);
    for (const o of batches) {
      const refs = refsOf(jsonSchema(response(doc, o, '200')));
      expect(refs, label(o)).toContain(ref('EmptyBatchResult'));
      expect(refs, label(o)).toHaveLength(2);
      expect((o.op.responses as Node)['413'], `${label(o)} 413`).toBeDefined();
      const result = schemas[(refs.find((r) => r !== ref('EmptyBatchResult')) ?? '').split('/').pop() ?? ''];
      const lists = Object.keys((result?.properties ?? {}) as Node);
      expect(lists.length, label(o)).toBeGreaterThan(0);
      for (const list of lists) {
        const items = (((result?.properties as Node)?.[list] as Node)?.items ?? {}) as Node;
        const members = refsOf(items);
        expect(
          members.some((m) => /BatchItemError$/.test(m)),
          `${label(o)} ${list}[] admits an error item`,
        ).toBe(true);
      }
    }
    const v = makeValidator(doc);
    expect(
      v.validate(ref('BatchItemError'), {
        id: null,
        error: { code: 'c', message: 'm', data: { status: 400 } },
      }),
    ).toMatchObject({ valid: true });
  });

  it('a trashable resource answers 410 to a second delete; the others answer 501 without force', () => {
    // WooCommerce trashes posts (products, variations, coupons), orders and comments (reviews); attributes and
    // refunds are deleted outright; every other resource refuses a delete without `force`.
    const TRASHED = new Set(['product', 'product_variation', 'coupon', 'order', 'product_review']);
    const OUTRIGHT = new Set(['product_attribute', 'order_refund']);
    const deletes = operations.filter((o) => /^delete/.test(String(o.op.operationId)));
    expect(deletes.length).toBeGreaterThan(15);
    const wrong = deletes.flatMap((o) => {
      const resource = String(o.op['x-wc-resource']);
      const responses = o.op.responses as Node;
      const expected = TRASHED.has(resource) ? '410' : OUTRIGHT.has(resource) ? null : '501';
      return expected && !responses[expected] ? [`${label(o)} (${resource}) lacks ${expected}`] : [];
    });
    expect(wrong).toEqual([]);
  });

  it('a delivery built after its resource is gone may carry the error envelope (every topic but *.deleted and action.*)', () => {
    const wrong = Object.entries(doc.webhooks ?? {}).flatMap(([topic, raw]) => {
      if (!/^(product|order|customer|coupon)\.(?!deleted)/.test(topic)) return [];
      const item = deref(doc, raw, '').node as Node;
      const body = deref(doc, (item.post as Node)?.requestBody, '').node as Node;
      // The media type names the topic's payload component; that component is the resource or the gone envelope.
      const payload = refsOf(jsonSchema(body));
      const component = schemas[(payload[0] ?? '').split('/').pop() ?? ''];
      const refs = refsOf(component);
      return payload.length === 1 && refs.includes(ref('WebhookResourceGonePayload')) && refs.length === 2
        ? []
        : [`${topic}: ${payload} -> ${refs}`];
    });
    expect(wrong).toEqual([]);
  });

  it('deliberately open objects say so: WooError and its data are closed, meta values are open', () => {
    const woo = schemas.WooError as Node;
    expect(woo.additionalProperties).toBeUndefined();
    expect(((woo.properties as Node).data as Node).additionalProperties).toBeUndefined();
    const meta = (schemas.MetaData?.properties as Node)?.value as Node;
    expect(meta, 'MetaData.value').toBeDefined();
    expect(meta.type, 'MetaData.value takes any JSON value').toBeUndefined();
  });

  it('a value the store takes from a list its plugins extend is an open string, not a closed enum', () => {
    // WooCommerce builds these enums from filterable registries (wc_get_product_types(), wc_get_order_statuses(),
    // wc_get_product_stock_status_options(), wc_get_coupon_types(), the site's registered roles): a store running a
    // plugin that registers more sends and accepts them, so a closed enum would reject its real traffic.
    const open: [string, string][] = [
      ['Product', 'type'],
      ['Product', 'stock_status'],
      ['ProductVariation', 'stock_status'],
      ['Order', 'status'],
      ['Coupon', 'discount_type'],
      ['Customer', 'role'],
    ];
    for (const [name, prop] of open) {
      const s = (schemas[name]?.properties as Node | undefined)?.[prop] as Node | undefined;
      expect(s, `${name}.${prop}`).toBeDefined();
      expect(s?.type, `${name}.${prop} is a string`).toBe('string');
      expect(s?.enum, `${name}.${prop} must stay open (plugins extend it)`).toBeUndefined();
    }
    const params: [string, string][] = [
      ['/products', 'type'],
      ['/products', 'stock_status'],
      ['/products/{product_id}/variations', 'stock_status'],
      ['/customers', 'role'],
    ];
    for (const [path, name] of params) {
      const get = (doc.paths?.[path] as Node | undefined)?.get as Node | undefined;
      const param = ((get?.parameters as Node[] | undefined) ?? [])
        .map((p) => deref(doc, p, '').node as Node)
        .find((p) => p.name === name && p.in === 'query');
      expect(param, `GET ${path} ?${name}`).toBeDefined();
      expect(
        (param?.schema as Node | undefined)?.enum,
        `GET ${path} ?${name} must stay open`,
      ).toBeUndefined();
    }
  });
});
