#!/usr/bin/env node
// Generates @wooapi/types from a bundled spec. The generator itself is packages/cli/lib/types.mjs, shared with
// `wooapi generate`; this script only says where the repo's bundles and package are.
// Run by the types package's `build` (through turbo, after the spec).
// `node gen-types.mjs` writes the wc/v3 entry (`dist/index`); `node gen-types.mjs legacy-v2` the legacy one.
import { fileURLToPath } from 'node:url';
import { renderTypes } from '../packages/cli/lib/types.mjs';
import { API_DOCUMENTS, GENERATED_HEADER, readBundle, writeAtomic } from './lib/bundle.mjs';

const outDir = fileURLToPath(new URL('../packages/types/dist/', import.meta.url));
const api = process.argv[2] ?? 'wc-v3';
const target = API_DOCUMENTS[api];
if (!target) throw new Error(`Unknown API "${api}": one of ${Object.keys(API_DOCUMENTS).join(', ')}.`);

const header = GENERATED_HEADER.replace('spec/dist/openapi.json', target.bundleName);
const { dts, js, counts } = await renderTypes(readBundle(target.bundle), {
  header,
  where: `${target.dir}components/schemas/`,
  prefix: target.prefix,
});
await writeAtomic(`${outDir}${target.entry}.d.ts`, dts);
await writeAtomic(`${outDir}${target.entry}.js`, js);
console.log(
  `@wooapi/types${target.entry === 'index' ? '' : `/${target.entry}`}: ${counts.paths} paths, ${counts.operations} operations, ` +
    `${counts.webhooks} webhooks, ${counts.schemas} schema aliases -> packages/types/dist/${target.entry}.d.ts`,
);
