// Reads the one bundled spec and walks it generically: every operation, every webhook topic.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolveRef } from '@wooapi/spec/ref';

export { resolveRef };

const require = createRequire(import.meta.url);
export const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function bundlePath() {
  try {
    return require.resolve('@wooapi/spec/openapi.json');
  } catch {
    throw new Error('The bundled spec @wooapi/spec/openapi.json is missing: build it first (pnpm build).');
  }
}

export function loadBundle(file = bundlePath()) {
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  if (!doc.paths || typeof doc.openapi !== 'string')
    throw new Error(`${file} is not a bundled OpenAPI document`);
  return doc;
}

/** Every operation: { path, method, op, tag }. */
export function operations(doc) {
  const out = [];
  for (const [path, raw] of Object.entries(doc.paths ?? {})) {
    const item = resolveRef(doc, raw);
    for (const method of METHODS) {
      const op = item?.[method];
      if (!op) continue;
      const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) =>
        resolveRef(doc, p),
      );
      out.push({ path, method, op, tag: op.tags?.[0] ?? 'Other', parameters });
    }
  }
  return out;
}

/** Every webhook topic: { topic, method, op, tag } (tag: undefined when the topic has none). */
export function webhooks(doc) {
  const out = [];
  for (const [topic, raw] of Object.entries(doc.webhooks ?? {})) {
    const item = resolveRef(doc, raw);
    for (const method of METHODS)
      if (item?.[method]) out.push({ topic, method, op: item[method], tag: item[method].tags?.[0] });
  }
  return out;
}

/** The example of a media type: `example`, else the first of `examples`. */
export function mediaExample(doc, media) {
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  const first = Object.values(media.examples ?? {})[0];
  return first ? resolveRef(doc, first)?.value : undefined;
}

/** Every status and example of an operation's responses: [{ status, description, examples: [value] }]. */
export function responseExamples(doc, op) {
  const out = [];
  for (const [status, raw] of Object.entries(op.responses ?? {})) {
    const response = resolveRef(doc, raw);
    const examples = [];
    for (const media of Object.values(response?.content ?? {})) {
      if (media.example !== undefined) examples.push(media.example);
      for (const ex of Object.values(media.examples ?? {})) {
        const value = resolveRef(doc, ex)?.value;
        if (value !== undefined) examples.push(value);
      }
    }
    out.push({ status, description: response?.description ?? '', examples });
  }
  return out;
}

/**
 * The reference's anchor of a webhook topic: Scalar nests a tagged webhook under its tag
 * (`tag/products/webhook/product.created`), an untagged one at the top (`webhook/ping`).
 */
export function webhookAnchor(doc, topic) {
  const hook = webhooks(doc).find((w) => w.topic === topic);
  return hook?.tag ? `tag/${slug(hook.tag)}/webhook/${topic}` : `webhook/${topic}`;
}

/** `Products`-tag slug, as in the anchors Scalar gives tags. */
export function slug(text) {
  return String(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
