// wooapi's own Redocly rules: conventions that configurable assertions cannot express (see spec/README.md).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const specDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

let v3Ids;
/** The operationIds of the wc/v3 document (paths and webhooks), read from its split files. */
function v3OperationIds() {
  if (v3Ids) return v3Ids;
  v3Ids = new Set();
  const root = parse(readFileSync(join(specDir, 'openapi.yaml'), 'utf8'));
  for (const item of [...Object.values(root.paths ?? {}), ...Object.values(root.webhooks ?? {})]) {
    const doc = item.$ref ? parse(readFileSync(join(specDir, item.$ref), 'utf8')) : item;
    for (const m of METHODS) if (doc?.[m]?.operationId) v3Ids.add(doc[m].operationId);
  }
  return v3Ids;
}

/** x-wc-v3-operation (spec/EXTENSIONS.md): every operation names its wc/v3 counterpart, or null and what to do instead. */
function v3Operation() {
  const check = (op, ctx) => {
    const at = ctx.location.child('x-wc-v3-operation');
    const m = op['x-wc-v3-operation'];
    if (!isObject(m)) {
      ctx.report({
        message: 'Every operation declares x-wc-v3-operation (an object); see spec/EXTENSIONS.md.',
        location: ctx.location.key(),
      });
      return;
    }
    const allowed = ['operationId', 'instead', 'parameters', 'fields', 'differences'];
    for (const k of Object.keys(m))
      if (!allowed.includes(k))
        ctx.report({
          message: `x-wc-v3-operation has an unknown key "${k}" (allowed: ${allowed.join(', ')}).`,
          location: at.child(k).key(),
        });
    if (!('operationId' in m))
      ctx.report({
        message: 'x-wc-v3-operation.operationId is required: a wc/v3 operationId, or null.',
        location: at.key(),
      });
    else if (m.operationId === null) {
      if (typeof m.instead !== 'string' || m.instead.length < 20)
        ctx.report({
          message: 'x-wc-v3-operation.operationId is null: say what to do instead in `instead` (a sentence).',
          location: at.key(),
        });
    } else if (typeof m.operationId !== 'string' || !v3OperationIds().has(m.operationId)) {
      ctx.report({
        message: `x-wc-v3-operation.operationId "${m.operationId}" is not an operationId of the wc/v3 document (spec/openapi.yaml).`,
        location: at.child('operationId'),
      });
    }
    for (const k of ['parameters', 'fields']) {
      if (k in m && (!isObject(m[k]) || Object.values(m[k]).some((v) => v !== null && typeof v !== 'string')))
        ctx.report({
          message: `x-wc-v3-operation.${k} maps a v2 name to its wc/v3 name (a string) or null (no counterpart).`,
          location: at.child(k),
        });
    }
    if (!Array.isArray(m.differences) || m.differences.some((d) => typeof d !== 'string'))
      ctx.report({
        message: 'x-wc-v3-operation.differences is a list of sentences (may be empty).',
        location: at.child('differences'),
      });
  };
  return { Operation: { enter: check } };
}

/** A paged list (it takes `page`) declares the paging headers on its 200; an unpaged one does not. */
function legacyPagingHeaders() {
  return {
    Operation: {
      enter(op, ctx) {
        const paged = (op.parameters ?? []).some(
          (p) => (p.$ref ?? '').endsWith('/Page.yaml') || p.name === 'page',
        );
        const headers = Object.keys(ctx.resolve(op.responses?.['200'] ?? {}).node?.headers ?? {});
        const need = ['X-WC-Total', 'X-WC-TotalPages', 'Link'];
        if (paged && !need.every((h) => headers.includes(h)))
          ctx.report({
            message: `A paged list (it takes \`page\`) declares ${need.join(', ')} on its 200.`,
            location: ctx.location.child('responses'),
          });
        if (!paged && headers.some((h) => need.includes(h)))
          ctx.report({
            message: 'Only paged lists (with `page`) declare the X-WC-* paging headers.',
            location: ctx.location.child('responses'),
          });
      },
    },
  };
}

export default function wooapiPlugin() {
  return {
    id: 'wooapi',
    rules: { oas3: { 'x-wc-v3-operation': v3Operation, 'legacy-paging-headers': legacyPagingHeaders } },
  };
}
