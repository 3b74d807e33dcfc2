#!/usr/bin/env node
// Generates @wooapi/types from the bundled spec. The generator itself is packages/cli/lib/types.mjs, shared with
// `wooapi generate`; this script only says where the repo's bundle and package are.
// Run by the types package's `build` (through turbo, after the spec).
import { fileURLToPath } from 'node:url';
import { renderTypes } from '../packages/cli/lib/types.mjs';
import { GENERATED_HEADER, readBundle, writeAtomic } from './lib/bundle.mjs';

const outDir = fileURLToPath(new URL('../packages/types/dist/', import.meta.url));
const { dts, js, counts } = await renderTypes(readBundle(), { header: GENERATED_HEADER });
await writeAtomic(`${outDir}index.d.ts`, dts);
await writeAtomic(`${outDir}index.js`, js);
console.log(
  `@wooapi/types: ${counts.paths} paths, ${counts.operations} operations, ` +
    `${counts.webhooks} webhooks, ${counts.schemas} schema aliases -> packages/types/dist/`,
);
