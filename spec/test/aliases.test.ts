// lib/aliases.mjs: which operation serves a method, and the server copy in which every alias is an operation.
import { describe, expect, it } from 'vitest';
import { expandMethodAliases, methodAliases, operationFor, pathMethods } from '../lib/aliases.mjs';
import { loadBundle } from './helpers.js';

const item = {
  get: { operationId: 'getThing' },
  put: { operationId: 'updateThing', 'x-wc-method-aliases': ['patch', 'post'] },
  delete: { operationId: 'deleteThing' },
};

describe('method aliases', () => {
  it('gives a GET its HEAD and an operation its declared aliases', () => {
    expect(methodAliases(item.get, 'get')).toEqual(['head']);
    expect(methodAliases(item.put, 'put')).toEqual(['patch', 'post']);
    expect(methodAliases(item.delete, 'delete')).toEqual([]);
  });

  it('resolves an alias to the documented operation and says it is one', () => {
    expect(operationFor(item, 'PATCH')).toEqual({ documented: 'put', operation: item.put, alias: true });
    expect(operationFor(item, 'head')).toEqual({ documented: 'get', operation: item.get, alias: true });
    expect(operationFor(item, 'PUT')).toEqual({ documented: 'put', operation: item.put, alias: false });
    expect(operationFor(item, 'OPTIONS')).toBeUndefined();
  });

  it('never lets an alias hide an operation documented at the same method', () => {
    const both = { post: { operationId: 'createThing' }, put: item.put };
    expect(operationFor(both, 'post')).toMatchObject({ documented: 'post', alias: false });
    expect([...pathMethods(both).keys()].sort()).toEqual(['patch', 'post', 'put']);
  });

  it('expands aliases into operations with unique ids for servers, leaving the input untouched', () => {
    const doc = { openapi: '3.1.0', paths: { '/things/{id}': item } };
    const out = expandMethodAliases(doc);
    expect(out.paths['/things/{id}'].patch).toMatchObject({
      operationId: 'updateThing__patch',
      'x-wc-alias-of': 'put',
    });
    expect(out.paths['/things/{id}'].head).toMatchObject({
      operationId: 'getThing__head',
      'x-wc-alias-of': 'get',
    });
    expect(Object.keys(doc.paths['/things/{id}']).sort()).toEqual(['delete', 'get', 'put']);
  });

  it('the bundle declares aliases on every update and batch operation and nowhere else', () => {
    const bundle = loadBundle();
    const wrong: string[] = [];
    type Op = { operationId?: string; 'x-wc-method-aliases'?: string[] };
    for (const [path, pathItem] of Object.entries(bundle.paths as Record<string, Record<string, Op>>)) {
      for (const [method, op] of Object.entries(pathItem)) {
        if (!op || typeof op !== 'object' || !op.operationId) continue;
        const declared = [...(op['x-wc-method-aliases'] ?? [])].sort().join(',');
        const want = method === 'put' ? 'patch,post' : /^batch/.test(op.operationId) ? 'patch,put' : '';
        if (declared !== want)
          wrong.push(`${method.toUpperCase()} ${path} (${op.operationId}): [${declared}]`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
