// The split layout of spec/ (spec/README.md), as tests: every Path Item and webhook file is referenced from
// openapi.yaml under the name the convention gives it, and nothing in paths/ or webhooks/ is left unreferenced.
// One rule for both documents: wc/v3 (spec/) and the legacy API (spec/legacy-v2/).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const specRoot = fileURLToPath(new URL('..', import.meta.url));

/** `/orders/{order_id}/notes/{id}` lives in `paths/orders_{order_id}_notes_{id}.yaml`; the root `/` in `paths/index.yaml`. */
const pathFile = (path: string) =>
  `paths/${path === '/' ? 'index' : path.slice(1).replaceAll('/', '_')}.yaml`;
/** `order.created` lives in `webhooks/order.created.yaml`; the `action.*` pattern in `webhooks/action.yaml`. */
const webhookFile = (name: string) => `webhooks/${name.replace(/\.\*$/, '')}.yaml`;

describe.each([
  ['wc/v3', specRoot],
  ['legacy v2', `${specRoot}legacy-v2`],
])('spec layout: %s', (_name, root) => {
  const doc = parse(readFileSync(`${root}/openapi.yaml`, 'utf8'));
  const yamlFiles = (dir: string) => readdirSync(`${root}/${dir}`).filter((f) => f.endsWith('.yaml'));

  it('paths: is a map of $refs, each to the file the path names', () => {
    const entries = Object.entries<Record<string, unknown>>(doc.paths);
    expect(entries.length).toBeGreaterThan(0);
    for (const [path, item] of entries) {
      expect(Object.keys(item), path).toEqual(['$ref']);
      expect(item.$ref, path).toBe(pathFile(path));
    }
  });

  it('webhooks: is a map of $refs, each to the file the topic names', () => {
    for (const [name, item] of Object.entries<Record<string, unknown>>(doc.webhooks)) {
      expect(Object.keys(item), name).toEqual(['$ref']);
      expect(item.$ref, name).toBe(webhookFile(name));
    }
  });

  it('every file in paths/ and webhooks/ is referenced from openapi.yaml', () => {
    const referenced = new Set([
      ...Object.values<{ $ref: string }>(doc.paths).map((i) => i.$ref),
      ...Object.values<{ $ref: string }>(doc.webhooks).map((i) => i.$ref),
    ]);
    const files = [
      ...yamlFiles('paths').map((f) => `paths/${f}`),
      ...yamlFiles('webhooks').map((f) => `webhooks/${f}`),
    ];
    expect(files.filter((f) => !referenced.has(f))).toEqual([]);
  });

  it('every tag an operation uses is declared with a description', () => {
    const declared = new Map<string, string>(
      doc.tags.map((t: { name: string; description?: string }) => [t.name, t.description]),
    );
    for (const ref of Object.values<{ $ref: string }>(doc.paths).map((i) => i.$ref)) {
      const item = parse(readFileSync(`${root}/${ref}`, 'utf8'));
      for (const op of Object.values<any>(item)) {
        for (const tag of op?.tags ?? []) {
          expect(declared.get(tag), `${ref} uses tag "${tag}"`).toBeTruthy();
        }
      }
    }
  });
});
