import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WEBHOOK_TOPICS } from '../src/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const shared = process.env.WOOAPI_SHARED ?? join(root, '../shared');
const seeds = join(shared, 'seeds');
if (!existsSync(seeds)) console.warn('skipped: ../shared not found (reference seeds for webhook topics)');

describe.skipIf(!existsSync(seeds))('topics against the reference seeds', () => {
  it('knows every webhook event the agent reference names for an endpoint', () => {
    const named = new Set<string>();
    for (const file of readdirSync(seeds)) {
      for (const m of readFileSync(join(seeds, file), 'utf8').matchAll(
        /Webhook event\s*([a-z_]+\.[a-z_]+)/g,
      )) {
        named.add(m[1] as string);
      }
    }
    expect(named.size).toBeGreaterThan(0);
    const known = new Set<string>(WEBHOOK_TOPICS);
    expect([...named].filter((t) => !known.has(t))).toEqual([]);
  });
});
