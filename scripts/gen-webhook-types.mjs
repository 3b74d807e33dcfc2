#!/usr/bin/env node
// Generates @wooapi/webhooks' typed events and its runtime topic list from the bundled spec's `webhooks` section.
// The generator is packages/cli/lib/webhooks.mjs, shared with `wooapi generate`; this script says where the
// repo's bundle and package are. Payload types point at @wooapi/types' `webhooks[topic]` request body.
//   node scripts/gen-webhook-types.mjs [--spec spec/dist/openapi.json] [--out packages/webhooks/src/generated]
// Keys it understands: `resource.event` topics (`order.created`), pattern keys whose event part holds `*` or
// `{name}` (`action.*`, `action.{hook}`: a template-literal topic), and `ping` (form-encoded, no JSON body: the
// package handles it itself). Anything else stops the build with a message naming the key.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { collectTopics, renderEvents, renderTopics } from '../packages/cli/lib/webhooks.mjs';
import { bundlePath, GENERATED_HEADER, readBundle, writeAtomic } from './lib/bundle.mjs';

export { collectTopics, renderEvents, renderTopics };

async function main() {
  const { values } = parseArgs({
    options: {
      spec: { type: 'string', default: bundlePath },
      out: {
        type: 'string',
        default: fileURLToPath(new URL('../packages/webhooks/src/generated/', import.meta.url)),
      },
    },
  });
  const spec = readBundle(resolve(values.spec));
  const topics = collectTopics(spec);
  const out = resolve(values.out);
  await writeAtomic(`${out}/topics.ts`, renderTopics(topics, { header: GENERATED_HEADER }));
  await writeAtomic(`${out}/events.ts`, renderEvents(topics, { header: GENERATED_HEADER }));
  const patterns = topics.filter((t) => t.isPattern).length;
  console.log(
    `@wooapi/webhooks: ${topics.length - patterns} topics, ${patterns} topic patterns` +
      `${spec.webhooks?.ping ? ', ping' : ''} -> ${out}`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`gen-webhook-types: ${err.message}`);
    process.exit(1);
  });
}
