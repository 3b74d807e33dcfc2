// The direct path serializes paths and queries itself (openapi-fetch's runtime is loaded only for `raw` and
// middleware): both must produce the same URL, or a signature computed on one would not match the other.
import { createQuerySerializer, defaultPathSerializer } from 'openapi-fetch';
import { describe, expect, it } from 'vitest';
import { serializePath, serializeQuery } from '../src/serialize.js';

const theirs = createQuerySerializer({ array: { style: 'form', explode: false } });

describe('serialization agrees with openapi-fetch', () => {
  const queries: Record<string, unknown>[] = [
    {},
    { page: 2, per_page: 100 },
    { include: [1, 2, 3], status: ['processing', 'on-hold'], search: 'blue shirt & "more"/é?' },
    { empty: [], none: undefined, nil: null, flag: true, zero: 0 },
    { filter: { a: '1', b: 'x y' }, after: '2026-01-01T00:00:00' },
    { 'a b': 'c+d', '%': '%' },
  ];
  for (const q of queries)
    it(JSON.stringify(q), () => {
      expect(serializeQuery(q)).toBe(theirs(q));
    });

  it('paths', () => {
    for (const [path, params] of [
      ['/products/{id}', { id: 794 }],
      ['/products/{product_id}/variations/{id}', { product_id: 1, id: 'a/b c' }],
      ['/products/{id}', {}],
      ['/system_status', undefined],
    ] as const)
      expect(serializePath(path, params)).toBe(defaultPathSerializer(path, params ?? {}));
  });
});
