// The x-wc-* extensions (spec/EXTENSIONS.md) checked across the bundle: what lint rules cannot see, such as a
// webhook event naming a topic that the document's `webhooks` section really has.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bundle = JSON.parse(readFileSync(fileURLToPath(new URL('../dist/openapi.json', import.meta.url)), 'utf8'));
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const operations = Object.entries(bundle.paths ?? {}).flatMap(([path, item]: [string, any]) =>
  METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] })),
);
const topics = Object.keys(bundle.webhooks ?? {});

describe('x-wc-* extensions', () => {
  it('the bundle has operations and webhooks to check', () => {
    expect(operations.length).toBeGreaterThanOrEqual(6);
    expect(topics).toEqual(expect.arrayContaining(['product.created', 'product.updated', 'product.deleted']));
  });

  it.each(operations.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o]))(
    '%s: webhook event is null or a topic of the webhooks section',
    (_name, { op }) => {
      const event = op['x-wc-webhook-event'];
      if (event !== null) expect(topics).toContain(event);
    },
  );

  it.each(operations.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o]))(
    '%s: reads need the read permission, changes the write permission',
    (_name, { method, op }) => {
      expect(op['x-wc-permission']).toBe(method === 'get' ? 'read' : 'write');
    },
  );

  it('operations that trigger a webhook create, update or delete what the topic names', () => {
    // duplicate and generate create products (a copy, variations), so they fire `*.created`.
    const firedBy: Record<string, string> = {
      create: 'created',
      update: 'updated',
      delete: 'deleted',
      duplicate: 'created',
      generate: 'created',
    };
    for (const { op } of operations) {
      const event = op['x-wc-webhook-event'];
      if (event === null) continue;
      const verb = /^(create|update|delete|duplicate|generate)/.exec(op.operationId)?.[1];
      expect(verb, `${op.operationId} triggers ${event}`).toBeDefined();
      expect(event.endsWith(`.${firedBy[verb as string]}`), `${op.operationId} triggers ${event}`).toBe(true);
      expect(op['x-wc-resource'].startsWith(event.split('.')[0]), `${op.operationId} triggers ${event}`).toBe(true);
    }
  });

  it('every resource topic carries the seven delivery headers', () => {
    const expected = [
      'X-WC-Webhook-Source',
      'X-WC-Webhook-Topic',
      'X-WC-Webhook-Resource',
      'X-WC-Webhook-Event',
      'X-WC-Webhook-Signature',
      'X-WC-Webhook-ID',
      'X-WC-Webhook-Delivery-ID',
    ];
    for (const topic of topics.filter((t) => t !== 'ping')) {
      const names = (bundle.webhooks[topic].post.parameters ?? []).map((p: any) =>
        p.$ref ? bundle.components.parameters[p.$ref.split('/').pop()].name : p.name,
      );
      expect(names, topic).toEqual(expect.arrayContaining(expected));
    }
  });

  it('every *.deleted topic sends only the id', () => {
    for (const topic of topics.filter((t) => t.endsWith('.deleted'))) {
      const schema = bundle.webhooks[topic].post.requestBody.content['application/json'].schema;
      expect(schema.$ref, topic).toBe('#/components/schemas/WebhookDeletedPayload');
    }
  });
});
