import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { WEBHOOK_TOPIC_PATTERNS, WEBHOOK_TOPICS } from '../src/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const script = join(root, 'scripts/gen-webhook-types.mjs');
const fixture = fileURLToPath(new URL('./fixtures/openapi.fixture.json', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'wooapi-webhooks-gen-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const run = (spec: string) =>
  spawnSync(process.execPath, [script, '--spec', spec, '--out', out], { encoding: 'utf8' });

describe('gen-webhook-types.mjs on a fixture with orders, an action pattern and the ping', () => {
  const result = run(fixture);
  const events = () => readFileSync(join(out, 'events.ts'), 'utf8');
  const topics = () => readFileSync(join(out, 'topics.ts'), 'utf8');

  it('succeeds and carries the do-not-edit header', () => {
    expect(result.status, result.stderr).toBe(0);
    expect(events()).toMatch(/^\/\/ This file is generated .* Do not edit it by hand/);
    expect(topics()).toMatch(/^\/\/ This file is generated/);
  });

  it('points payloads at @wooapi/types instead of re-deriving them', () => {
    expect(events()).toContain("import type { Readable, webhooks } from '@wooapi/types';");
    expect(events()).toContain('export type OrderCreatedPayload = JsonBody<webhooks["order.created"]>;');
    expect(events()).toContain(
      'export type OrderCreatedEvent = WebhookDelivery<"order.created", "order", "created", OrderCreatedPayload>;',
    );
  });

  it('builds per-resource unions and the WebhookEvent union', () => {
    expect(events()).toContain('export type OrderEvent = OrderCreatedEvent | OrderDeletedEvent;');
    expect(events()).toContain('export type WebhookEvent = ProductEvent | OrderEvent | ActionEvent;');
  });

  it('turns a pattern key into a template-literal topic and a runtime test', () => {
    expect(events()).toContain(
      'export type ActionEvent = WebhookDelivery<`action.${string}`, "action", string, ActionPayload>;',
    );
    const m = /key: "action\.\*", resource: "action", test: \/(.+)\/ \}/.exec(topics());
    expect(m).not.toBeNull();
    const test = new RegExp(m?.[1] as string);
    expect(test.test('action.woocommerce_add_to_cart')).toBe(true);
    expect(test.test('actionXfoo')).toBe(false);
    expect(test.test('order.created')).toBe(false);
  });

  it('lists literal topics at runtime and leaves the ping out of them', () => {
    expect(topics()).toContain('"order.deleted",');
    expect(topics()).not.toContain('"ping"');
    expect(topics()).not.toContain('"action.*",\n');
  });

  it('stops on a key that is not a topic, naming it', () => {
    const bad = JSON.parse(readFileSync(fixture, 'utf8'));
    bad.webhooks['Order Created'] = bad.webhooks['order.created'];
    const path = join(out, 'bad.json');
    writeFileSync(path, JSON.stringify(bad));
    const r = run(path);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('webhooks key "Order Created" is not a WooCommerce topic');
  });

  it('stops on a topic without a JSON body', () => {
    const bad = JSON.parse(readFileSync(fixture, 'utf8'));
    bad.webhooks['order.updated'] = bad.webhooks.ping;
    const path = join(out, 'bad2.json');
    writeFileSync(path, JSON.stringify(bad));
    const r = run(path);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('webhooks["order.updated"].post.requestBody has no application/json content');
  });
});

const bundle = join(root, 'spec/dist/openapi.json');
if (!existsSync(bundle)) console.warn('skipped: spec/dist/openapi.json not found (build the spec first)');

describe.skipIf(!existsSync(bundle))('the generated sources match the bundled spec', () => {
  it('knows every key of the webhooks section', () => {
    const keys = Object.keys(JSON.parse(readFileSync(bundle, 'utf8')).webhooks ?? {}).filter(
      (k) => k !== 'ping',
    );
    const known = [...WEBHOOK_TOPICS, ...WEBHOOK_TOPIC_PATTERNS.map((p) => p.key)];
    expect(known.sort()).toEqual(keys.sort());
  });
});
