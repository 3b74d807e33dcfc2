// The webhook event types generator, one implementation for two callers: the repo's build
// (scripts/gen-webhook-types.mjs, which writes @wooapi/webhooks' src/generated) and `wooapi generate` (a user's
// extended event types). Payload types are not re-derived: each one points at the types' `webhooks[topic]`
// request body. Keys it understands: `resource.event` topics (`order.created`), pattern keys whose event part holds
// `*` or `{name}` (`action.*`, `action.{hook}`: a template-literal topic), and `ping` (form-encoded, no JSON body:
// the webhooks package handles it itself). Anything else throws with a message naming the key.
const TOPIC_RE = /^([a-z][a-z0-9_]*)\.([A-Za-z0-9_\-*{}]+)$/;
const NOT_A_TOPIC = new Set(['ping']);

const pascal = (s) =>
  s
    .replace(/\{[^}]*\}|\*/g, ' ')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const doc = (s) => (s ?? '').split('\n')[0].replace(/\*\//g, '*\\/').trim();

/** Reads the spec's `webhooks` map into a list of topics, or throws naming the key that does not fit. */
export function collectTopics(spec) {
  const topics = [];
  const names = new Map();
  for (const [key, item] of Object.entries(spec.webhooks ?? {})) {
    if (NOT_A_TOPIC.has(key)) continue;
    const m = TOPIC_RE.exec(key);
    if (!m) {
      throw new Error(
        `webhooks key "${key}" is not a WooCommerce topic: expected "resource.event" (order.created), a pattern ` +
          `("action.*" or "action.{hook}") or "ping". Fix it in spec/openapi.yaml.`,
      );
    }
    const [, resource, event] = m;
    const op = item?.post;
    if (!op)
      throw new Error(
        `webhooks["${key}"] has no post operation: a delivery is a POST (spec/webhooks/${key}.yaml).`,
      );
    const content = op.requestBody?.content ?? {};
    if (!content['application/json']) {
      throw new Error(
        `webhooks["${key}"].post.requestBody has no application/json content; WooCommerce sends topics as JSON.`,
      );
    }
    const isPattern = /[*{}]/.test(event);
    const name = `${pascal(resource)}${pascal(event)}Event`;
    if (names.has(name))
      throw new Error(`webhooks keys "${names.get(name)}" and "${key}" both map to ${name}.`);
    names.set(name, key);
    topics.push({
      key,
      resource,
      event,
      isPattern,
      name,
      payloadName: name.replace(/Event$/, 'Payload'),
      // `action.{hook}` is the type `action.${string}` and the runtime test /^action\..+$/.
      topicType: isPattern ? `\`${key.replace(/\{[^}]*\}|\*/g, '${string}')}\`` : JSON.stringify(key),
      eventType: isPattern ? 'string' : JSON.stringify(event),
      regex: isPattern
        ? `^${key
            .split(/\{[^}]*\}|\*/)
            .map(escapeRe)
            .join('.+')}$`
        : null,
      summary: doc(op.summary ?? op.description),
    });
  }
  return topics;
}

/** The runtime topic list (`WEBHOOK_TOPICS`, `WEBHOOK_TOPIC_PATTERNS`) as TypeScript. */
export function renderTopics(topics, { header = '' } = {}) {
  const literal = topics.filter((t) => !t.isPattern);
  const patterns = topics.filter((t) => t.isPattern);
  return `${header}
/** Every topic the spec lists, verbatim (\`parseWebhook\` marks any other topic \`kind: 'unknown'\`). */
export const WEBHOOK_TOPICS = [${literal.map((t) => `\n  ${JSON.stringify(t.key)},`).join('')}${literal.length ? '\n' : ''}] as const;

/** Pattern keys of the spec's \`webhooks\` map (\`action.*\`): a topic matching \`test\` is that key's event. */
export const WEBHOOK_TOPIC_PATTERNS: ReadonlyArray<{ readonly key: string; readonly resource: string; readonly test: RegExp }> = [${patterns
    .map(
      (t) =>
        `\n  { key: ${JSON.stringify(t.key)}, resource: ${JSON.stringify(t.resource)}, test: /${t.regex}/ },`,
    )
    .join('')}${patterns.length ? '\n' : ''}];
`;
}

/**
 * The event types as TypeScript. `typesModule` is where `Readable` and `webhooks` come from (@wooapi/types, or a
 * user's generated types); `eventModule` is where `WebhookDelivery` comes from.
 */
export function renderEvents(
  topics,
  { header = '', typesModule = '@wooapi/types', eventModule = '../event.js' } = {},
) {
  const byResource = new Map();
  for (const t of topics) {
    if (!byResource.has(t.resource)) byResource.set(t.resource, []);
    byResource.get(t.resource).push(t);
  }
  const lines = [
    header,
    `import type { Readable, webhooks } from '${typesModule}';`,
    `import type { WebhookDelivery } from '${eventModule}';`,
    '',
    '/** The JSON body a webhook entry of the spec declares, as the store sends it (write-only fields removed). */',
    'type JsonBody<W> = W extends { post: { requestBody?: infer B } }',
    "  ? NonNullable<B> extends { content: { 'application/json': infer P } }",
    '    ? Readable<P>',
    '    : never',
    '  : never;',
    '',
  ];
  for (const t of topics) {
    const summary = t.summary ? `${t.key}: ${t.summary}` : t.key;
    lines.push(
      `/** Body of \`${t.key}\`. */`,
      `export type ${t.payloadName} = JsonBody<webhooks[${JSON.stringify(t.key)}]>;`,
      `/** ${summary} */`,
      `export type ${t.name} = WebhookDelivery<${t.topicType}, ${JSON.stringify(t.resource)}, ${t.eventType}, ${t.payloadName}>;`,
      '',
    );
  }
  const unions = [];
  for (const [resource, list] of byResource) {
    const union = `${pascal(resource)}Event`;
    if (list.length === 1 && list[0].name === union) {
      unions.push(union);
      continue;
    }
    if (topics.some((t) => t.name === union)) {
      throw new Error(
        `The per-resource union ${union} collides with a topic's event type; rename a webhooks key.`,
      );
    }
    lines.push(
      `/** Every \`${resource}.*\` event. */`,
      `export type ${union} = ${list.map((t) => t.name).join(' | ')};`,
      '',
    );
    unions.push(union);
  }
  const literal = topics.filter((t) => !t.isPattern);
  const patterns = topics.filter((t) => t.isPattern);
  lines.push(
    "/** Every event the spec describes, discriminated by `topic` (and `kind: 'event'`). */",
    `export type WebhookEvent = ${unions.length ? unions.join(' | ') : 'never'};`,
    '',
    '/** Topic to event, for the topics the spec lists verbatim. */',
    'export interface WebhookEventMap {',
    ...literal.map((t) => `  ${JSON.stringify(t.key)}: ${t.name};`),
    '}',
    '',
    '/** Topic patterns (`action.${string}`) to event. */',
    `export type WebhookPatternEventMap = ${
      patterns.length
        ? patterns.map((t) => `{ [K in ${t.topicType}]: ${t.name} }`).join(' & ')
        : 'Record<never, never>'
    };`,
    '',
    '/** Every topic the spec knows, patterns included. */',
    'export type WebhookTopic = keyof WebhookEventMap' +
      patterns.map((t) => ` | ${t.topicType}`).join('') +
      ';',
    '',
  );
  return lines.join('\n');
}
