// A @wooapi/client code sample for every operation, generated from the spec and injected as x-codeSamples.
import { mediaExample, resolveRef } from './bundle.mjs';

const LABEL = '@wooapi/client';

function sampleValue(doc, param) {
  if (param.example !== undefined) return param.example;
  const ex = Object.values(param.examples ?? {})[0];
  if (ex) return resolveRef(doc, ex)?.value;
  const schema = resolveRef(doc, param.schema) ?? {};
  if (schema.examples?.length) return schema.examples[0];
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined && !(Array.isArray(schema.default) && schema.default.length === 0))
    return schema.default;
  if (schema.enum?.length) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'integer' || type === 'number') return 1;
  if (type === 'boolean') return true;
  if (type === 'array') return [];
  return 'value';
}

/** JSON written as a TypeScript literal: unquoted keys where they are identifiers. */
export function literal(value, indent = 0) {
  const pad = '  '.repeat(indent);
  const inner = '  '.repeat(indent + 1);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => v === null || typeof v !== 'object'))
      return `[${value.map((v) => literal(v)).join(', ')}]`;
    return `[\n${value.map((v) => `${inner}${literal(v, indent + 1)}`).join(',\n')},\n${pad}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const key = (k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k.replaceAll("'", "\\'")}'`);
    return `{\n${entries.map(([k, v]) => `${inner}${key(k)}: ${literal(v, indent + 1)}`).join(',\n')},\n${pad}}`;
  }
  if (typeof value === 'string')
    return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n')}'`;
  return JSON.stringify(value);
}

function requestBodyExample(doc, op) {
  const body = resolveRef(doc, op.requestBody);
  if (!body) return undefined;
  const media = body.content?.['application/json'] ?? Object.values(body.content ?? {})[0];
  const example = mediaExample(doc, media);
  if (example !== undefined) return example;
  // No example: the required properties with placeholder values, so the sample still type-checks in shape.
  const schema = resolveRef(doc, media?.schema) ?? {};
  const out = {};
  for (const name of schema.required ?? [])
    out[name] = sampleValue(doc, { schema: schema.properties?.[name] ?? {} });
  return out;
}

export function codeSample(doc, { path, method, op, parameters }) {
  const verb = method.toUpperCase();
  const pathParams = {};
  const query = {};
  for (const p of parameters) {
    if (p.in === 'path') pathParams[p.name] = sampleValue(doc, p);
    else if (p.in === 'query' && p.required) query[p.name] = sampleValue(doc, p);
  }
  const isList = /^list/.test(op.operationId ?? '');
  if (isList && parameters.some((p) => p.in === 'query' && p.name === 'per_page')) query.per_page = 20;
  if (
    method === 'delete' &&
    parameters.some((p) => p.in === 'query' && p.name === 'force') &&
    !('force' in query)
  ) {
    query.force = true;
  }
  const init = {};
  const params = {};
  if (Object.keys(pathParams).length) params.path = pathParams;
  if (Object.keys(query).length) params.query = query;
  if (Object.keys(params).length) init.params = params;
  const body = ['post', 'put', 'patch'].includes(method) ? requestBodyExample(doc, op) : undefined;
  if (body !== undefined) init.body = body;

  const call = Object.keys(init).length
    ? `woo.${verb}('${path}', ${literal(init)})`
    : `woo.${verb}('${path}')`;
  const lines = [
    "import { createWooClient } from '@wooapi/client';",
    '',
    'const woo = createWooClient({',
    "  url: 'https://example.com', // your store's root URL",
    '  consumerKey: process.env.WOO_CONSUMER_KEY,',
    '  consumerSecret: process.env.WOO_CONSUMER_SECRET,',
    '});',
    '',
    `// ${op.summary ?? op.operationId} (needs a ${op['x-wc-permission'] ?? 'read'} key). Throws a WooCommerceError on failure.`,
    `const { data${isList ? ', response' : ''} } = await ${call};`,
  ];
  if (isList) {
    lines.push("console.log(data.length, 'of', response.headers.get('X-WP-Total'));");
    lines.push(`// Every page: for await (const item of paginate(woo, '${path}')) { ... }`);
  } else {
    lines.push('console.log(data);');
  }
  return { lang: 'TypeScript', label: LABEL, source: `${lines.join('\n')}\n` };
}

/** A copy of the bundle with an x-codeSamples entry on every operation. */
export function withCodeSamples(doc, ops) {
  const copy = structuredClone(doc);
  for (const o of ops) {
    const target = resolveRef(copy, copy.paths[o.path])[o.method];
    const others = (target['x-codeSamples'] ?? []).filter((s) => s.label !== LABEL);
    target['x-codeSamples'] = [codeSample(doc, o), ...others];
  }
  return copy;
}
