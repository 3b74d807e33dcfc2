// The closed-world reading of the bundle that the recorded-traffic test validates with: every object schema that does
// not say otherwise rejects a property it does not declare, so "the store sends a field the spec does not know" is a
// failure, not a silent pass. A schema leaves an object open only deliberately, by declaring `additionalProperties`
// (or `patternProperties` / `unevaluatedProperties`) itself, e.g. `meta_data[].value` or the system status maps.
import type { OpenApiDoc } from './helpers.js';

type Node = Record<string, unknown>;
const isObj = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

const SUBSCHEMA = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames'];
const SUBSCHEMA_LISTS = ['allOf', 'oneOf', 'anyOf', 'prefixItems'];
const SUBSCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'dependentSchemas'];

const isObjectSchema = (s: Node): boolean =>
  isObj(s.properties) ||
  s.type === 'object' ||
  (Array.isArray(s.type) && (s.type as unknown[]).includes('object'));
const declaresOpenness = (s: Node): boolean =>
  'additionalProperties' in s || 'unevaluatedProperties' in s || 'patternProperties' in s;

function closeSchema(s: unknown, at: string, out: { closed: number }, drop?: (s: Node) => void): void {
  if (!isObj(s)) return;
  // A wrapper `allOf: [$ref X]` with properties of its own narrows X's properties (request bodies do): X is closed
  // where it is defined, so the wrapper stays as it is.
  const narrows = Array.isArray(s.allOf) && isObj(s.properties);
  drop?.(s);
  if (!narrows && isObjectSchema(s) && !declaresOpenness(s)) {
    s.unevaluatedProperties = false;
    out.closed++;
  }
  for (const key of SUBSCHEMA) closeSchema(s[key], `${at}/${key}`, out, drop);
  for (const key of SUBSCHEMA_LISTS)
    if (Array.isArray(s[key]))
      (s[key] as unknown[]).forEach((c, i) => {
        closeSchema(c, `${at}/${key}/${i}`, out, drop);
      });
  for (const key of SUBSCHEMA_MAPS)
    if (isObj(s[key]))
      for (const [k, c] of Object.entries(s[key] as Node)) closeSchema(c, `${at}/${key}/${k}`, out, drop);
}

/** Every `schema` of a media type, parameter or header anywhere in paths, webhooks and components. */
function walkHolders(node: unknown, at: string, visit: (schema: unknown, at: string) => void): void {
  if (Array.isArray(node)) {
    node.forEach((c, i) => {
      walkHolders(c, `${at}/${i}`, visit);
    });
    return;
  }
  if (!isObj(node)) return;
  for (const [key, child] of Object.entries(node)) {
    if (key === 'example' || key === 'examples' || key.startsWith('x-')) continue;
    if (key === 'schema') visit(child, `${at}/schema`);
    else walkHolders(child, `${at}/${key}`, visit);
  }
}

/**
 * A deep copy of `doc` read closed-world: `unevaluatedProperties: false` on every object schema that does not declare
 * its openness. `partial` also drops `required`, for responses trimmed with `_fields`.
 */
export function closedWorld(
  doc: OpenApiDoc,
  options: { partial?: boolean } = {},
): { doc: OpenApiDoc; closed: number } {
  const copy = structuredClone(doc);
  const out = { closed: 0 };
  const drop = options.partial
    ? (s: Node) => {
        if (Array.isArray(s.required)) delete s.required;
      }
    : undefined;
  for (const [name, schema] of Object.entries((copy.components?.schemas ?? {}) as Node))
    closeSchema(schema, `#/components/schemas/${name}`, out, drop);
  const { schemas: _schemas, ...otherComponents } = (copy.components ?? {}) as Node;
  walkHolders(
    { paths: copy.paths, webhooks: copy.webhooks, components: otherComponents },
    '#',
    (schema, at) => {
      closeSchema(schema, at, out, drop);
    },
  );
  return { doc: copy, closed: out.closed };
}
