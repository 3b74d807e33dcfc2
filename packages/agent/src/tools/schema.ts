// JSON Schemas for tools, made from the bundle's OpenAPI schemas: `$ref`s inlined (a cycle is cut), `allOf` of
// objects merged into one object, and the keywords that clients reject or that real data breaks removed.
import { resolveRef } from '@wooapi/spec/ref';

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema nodes are untyped JSON.
export type JsonSchema = Record<string, any>;

/** What a schema is for: an input (the agent writes it) or an output (the store wrote it). */
export type SchemaMode = 'input' | 'output';

// Keywords no tool schema keeps: OpenAPI/JSON Schema annotations that clients reject or ignore (VS Code and
// Cursor refuse `$schema`/`$id` inside tool schemas, OpenAI-style validators refuse unknown keywords), examples
// (they cost tokens; the spec's examples are in `describe_operation`), and `format` (WooCommerce dates come without
// an offset, so `date-time` would refuse real data; the descriptions say the format).
const DROPPED = new Set([
  '$schema',
  '$id',
  '$anchor',
  '$dynamicAnchor',
  '$defs',
  'definitions',
  '$comment',
  'example',
  'examples',
  'xml',
  'externalDocs',
  'discriminator',
  'readOnly',
  'writeOnly',
  'deprecated',
  'format',
  'contentEncoding',
  'contentMediaType',
  'nullable',
]);

const SUBSCHEMA = ['items', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedItems'];
const SUBSCHEMA_LISTS = ['anyOf', 'oneOf', 'prefixItems'];
const SUBSCHEMA_MAPS = ['properties', 'patternProperties', 'dependentSchemas'];
const SCALARS = new Set(['string', 'integer', 'number', 'boolean']);

const isObject = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Inlines every `$ref` of `node` (a schema of the bundle `doc`) and merges `allOf`s of objects. A `$ref` already
 * being expanded on the way down is a cycle: it becomes `{}` (any value) with a description that says so.
 */
export function inlineSchema(doc: unknown, node: unknown, stack: string[] = []): JsonSchema {
  if (!isObject(node)) return node as JsonSchema;
  let current = node;
  const refs: string[] = [];
  while (isObject(current) && typeof current.$ref === 'string') {
    const ref = current.$ref as string;
    if (stack.includes(ref) || refs.includes(ref)) {
      const name = ref.split('/').pop();
      return {
        description: `${current.description ?? ''} (a nested ${name}, not expanded: it repeats)`.trim(),
      };
    }
    refs.push(ref);
    const { $ref: _ref, ...siblings } = current;
    const target = resolveRef(doc, { $ref: ref });
    current = Object.keys(siblings).length ? { ...target, ...siblings } : target;
  }
  const inner = [...stack, ...refs];
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(current)) {
    if (SUBSCHEMA.includes(key) || key === 'additionalProperties' || key === 'unevaluatedProperties') {
      out[key] = isObject(value) ? inlineSchema(doc, value, inner) : value;
    } else if (SUBSCHEMA_LISTS.includes(key) || key === 'allOf') {
      out[key] = Array.isArray(value) ? value.map((v) => inlineSchema(doc, v, inner)) : value;
    } else if (SUBSCHEMA_MAPS.includes(key)) {
      out[key] = Object.fromEntries(
        Object.entries(value as JsonSchema).map(([k, v]) => [k, inlineSchema(doc, v, inner)]),
      );
    } else {
      out[key] = value;
    }
  }
  return Array.isArray(out.allOf) ? mergeAllOf(out) : out;
}

/** `allOf` members that are plain objects merge into their parent: properties unioned, `required` unioned. */
function mergeAllOf(schema: JsonSchema): JsonSchema {
  const { allOf, ...rest } = schema;
  const mergeable = (allOf as JsonSchema[]).every(
    (m) => isObject(m) && !m.oneOf && !m.anyOf && !m.not && (m.type === undefined || m.type === 'object'),
  );
  if (!mergeable) return schema;
  const merged: JsonSchema = {};
  for (const part of [...(allOf as JsonSchema[]), rest]) {
    for (const [key, value] of Object.entries(part)) {
      if (key === 'properties') {
        merged.properties ??= {};
        for (const [name, prop] of Object.entries(value as JsonSchema)) {
          merged.properties[name] = { ...(merged.properties[name] ?? {}), ...prop };
        }
      } else if (key === 'required') {
        merged.required = [...new Set([...(merged.required ?? []), ...(value as string[])])];
      } else if (key === 'description' && merged.description) {
        // The member's (the resource's) description stays; the wrapper's usually says less.
      } else {
        merged[key] = value;
      }
    }
  }
  if (merged.properties && merged.type === undefined) merged.type = 'object';
  return merged;
}

/**
 * Cleans an inlined schema for its use. Inputs lose readOnly properties (the store sets them); outputs lose
 * writeOnly ones, every scalar accepts any scalar or `null` and objects accept extra properties (see
 * nullableScalars; plugins add fields): what real stores send must pass.
 */
export function cleanSchema(node: unknown, mode: SchemaMode): JsonSchema {
  if (!isObject(node)) return node as JsonSchema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED.has(key) || key.startsWith('x-')) continue;
    if (key === 'properties') {
      const props: JsonSchema = {};
      for (const [name, prop] of Object.entries(value as JsonSchema)) {
        if (mode === 'input' && prop?.readOnly === true) continue;
        if (mode === 'output' && prop?.writeOnly === true) continue;
        props[name] = cleanSchema(prop, mode);
      }
      out.properties = props;
    } else if (key === 'required') {
      const kept = (value as string[]).filter((name) => {
        const prop = (node.properties as JsonSchema | undefined)?.[name];
        if (!prop) return true;
        return !(mode === 'input' ? prop.readOnly === true : prop.writeOnly === true);
      });
      if (kept.length) out.required = kept;
    } else if (SUBSCHEMA.includes(key) || key === 'additionalProperties' || key === 'unevaluatedProperties') {
      if (
        mode === 'output' &&
        (key === 'additionalProperties' || key === 'unevaluatedProperties') &&
        value === false
      )
        continue;
      out[key] = isObject(value) ? cleanSchema(value, mode) : value;
    } else if (SUBSCHEMA_LISTS.includes(key) || key === 'allOf') {
      // Widened outputs can match two branches of a oneOf: an output only needs one of them to hold.
      out[mode === 'output' && key === 'oneOf' ? 'anyOf' : key] = (value as unknown[]).map((v) =>
        cleanSchema(v, mode),
      );
    } else if (key === 'patternProperties' || key === 'dependentSchemas') {
      out[key] = Object.fromEntries(
        Object.entries(value as JsonSchema).map(([k, v]) => [k, cleanSchema(v, mode)]),
      );
    } else {
      out[key] = value;
    }
  }
  if (mode === 'output') nullableScalars(out);
  return out;
}

// PHP's loose typing reaches the wire: an ID arrives as "4", a state code as 81, a missing version as 0, and
// plugins add enum values (order statuses). An output schema describes; it must not refuse a real answer, since MCP
// clients reject a result whose structuredContent breaks its outputSchema. So a scalar accepts any scalar or null,
// declared type first, without the checks that real data breaks.
const SCALAR_CHECKS = [
  'enum',
  'const',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'multipleOf',
];

function nullableScalars(schema: JsonSchema): void {
  const t = schema.type;
  const types: string[] | undefined = typeof t === 'string' ? [t] : Array.isArray(t) ? t : undefined;
  if (!types?.some((x) => SCALARS.has(x))) return;
  const widened = [...(types as string[])];
  for (const x of ['string', 'number', 'boolean', 'null']) {
    if (!widened.includes(x) && !(x === 'number' && widened.includes('integer'))) widened.push(x);
  }
  // integer with number beside it is redundant; number accepts both.
  schema.type = widened.includes('number') ? widened.filter((x) => x !== 'integer') : widened;
  for (const key of SCALAR_CHECKS) delete schema[key];
}

/** Both steps: the schema at `node`, inlined and cleaned for `mode`. */
export function toolSchema(doc: unknown, node: unknown, mode: SchemaMode): JsonSchema {
  return cleanSchema(inlineSchema(doc, node), mode);
}
