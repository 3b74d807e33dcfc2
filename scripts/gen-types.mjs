#!/usr/bin/env node
// Generates @wooapi/types from the bundled spec: openapi-typescript's `paths`, `components`, `operations`,
// `webhooks`, plus a named alias per schema. Run by the types package's `build` (through turbo, after the spec).
// `node gen-types.mjs` writes the wc/v3 entry (`dist/index`); `node gen-types.mjs legacy-v2` the legacy one.
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { API_DOCUMENTS, GENERATED_HEADER, readBundle, writeAtomic } from './lib/bundle.mjs';

const outDir = fileURLToPath(new URL('../packages/types/dist/', import.meta.url));
const api = process.argv[2] ?? 'wc-v3';
const target = API_DOCUMENTS[api];
if (!target) throw new Error(`Unknown API "${api}": one of ${Object.keys(API_DOCUMENTS).join(', ')}.`);
// Names the generated module already exports; a schema with one of these names would shadow it.
const RESERVED = new Set(['paths', 'webhooks', 'components', 'operations', '$defs', '$Read', '$Write', 'Readable', 'Writable']);

const spec = readBundle(target.bundle);
// readWriteMarkers wraps readOnly/writeOnly properties in $Read/$Write, which openapi-fetch strips from request
// bodies and responses respectively: a read-only field in a create body then fails to compile.
// defaultNonNullable off: a property with a `default` (product `type`, `status`) must stay optional in request bodies.
const ast = await openapiTS(spec, { readWriteMarkers: true, defaultNonNullable: false });
const body = astToString(ast);

const schemaNames = Object.keys(spec.components?.schemas ?? {});
const aliases = [];
for (const name of schemaNames) {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    throw new Error(`Schema name "${name}" is not PascalCase; rename ${target.dir}components/schemas/${name}.yaml.`);
  }
  if (RESERVED.has(name) || RESERVED.has(`${name}Input`)) {
    throw new Error(`Schema name "${name}" collides with a generated export; rename it in ${target.dir}components/schemas/.`);
  }
  const doc = (spec.components.schemas[name].description ?? '').split('\n')[0].replace(/\*\//g, '*\\/');
  aliases.push(
    `/** ${doc || name} (as the store sends it: write-only fields removed). */`,
    `export type ${name} = Readable<components['schemas']['${name}']>;`,
    `/** ${name} as a request body takes it: read-only fields removed. */`,
    `export type ${name}Input = Writable<components['schemas']['${name}']>;`,
  );
}

const operationIds = [];
for (const [path, item] of Object.entries(spec.paths ?? {})) {
  for (const [method, op] of Object.entries(item)) {
    if (op && typeof op === 'object' && op.operationId) operationIds.push([op.operationId, method, path]);
  }
}

const extra = `
/** Every path of the API, relative to \`${target.prefix}\`. */
export type Path = keyof paths;
/** Every operationId of the API. */
export type OperationId = keyof operations;
/** Every webhook delivery in the spec's \`webhooks\` section (topics, \`action.*\` and \`ping\`). */
export type WebhookName = keyof webhooks;

${aliases.join('\n')}
`;

const dts = `${GENERATED_HEADER}${body}${extra}`;
const header = GENERATED_HEADER.replace('spec/dist/openapi.json', target.bundleName);
await writeAtomic(`${outDir}${target.entry}.d.ts`, dts.replace(GENERATED_HEADER, header));
await writeAtomic(`${outDir}${target.entry}.js`, `${header}// Types only: nothing to run.\nexport {};\n`);
console.log(
  `@wooapi/types${target.entry === 'index' ? '' : `/${target.entry}`}: ${Object.keys(spec.paths ?? {}).length} paths, ${operationIds.length} operations, ` +
    `${Object.keys(spec.webhooks ?? {}).length} webhooks, ${schemaNames.length} schema aliases -> packages/types/dist/${target.entry}.d.ts`,
);
