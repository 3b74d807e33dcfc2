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
    // Outputs are for checking structure: their prose (most of the size of tools/list) is in the tool's
    // description and the docs. Inputs keep the first sentence of each description, the part an agent needs.
    if (mode === 'output' && (key === 'description' || key === 'title' || key === 'default')) continue;
    if (mode === 'input' && key === 'description' && typeof value === 'string') {
      out.description = firstSentence(value);
      continue;
    }
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

/** The first sentence of a description, on one line (a `.` inside backticks or a number does not end it). */
export function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  let inCode = false;
  for (let i = 0; i < flat.length; i++) {
    const c = flat[i];
    if (c === '`') inCode = !inCode;
    else if (
      !inCode &&
      (c === '.' || c === '!' || c === '?') &&
      (i === flat.length - 1 || flat[i + 1] === ' ')
    )
      return flat.slice(0, i + 1);
  }
  return flat;
}

/** Both steps: the schema at `node`, inlined and cleaned for `mode` (outputs also cut below OUTPUT_DEPTH). */
export function toolSchema(doc: unknown, node: unknown, mode: SchemaMode): JsonSchema {
  const clean = cleanSchema(inlineSchema(doc, node), mode);
  return mode === 'output' ? cutDepth(clean, OUTPUT_DEPTH) : clean;
}

/**
 * How many levels of objects and arrays an outputSchema spells out: the record, its fields, and their fields
 * (an order, its line items, each line item's fields). Deeper values are only typed. What a client checks
 * structuredContent against stays meaningful, and tools/list stays a size a client can send a model.
 */
export const OUTPUT_DEPTH = 3;

function cutDepth(schema: JsonSchema, levels: number): JsonSchema {
  if (!isObject(schema)) return schema;
  const types = typeof schema.type === 'string' ? [schema.type] : (schema.type ?? []);
  const nests = types.includes('object') || types.includes('array') || schema.properties || schema.items;
  if (nests && levels <= 0) {
    const kept = types.length ? types : [schema.items ? 'array' : 'object'];
    return { type: kept.length === 1 ? kept[0] : kept };
  }
  const next = nests ? levels - 1 : levels;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' || key === 'patternProperties')
      out[key] = Object.fromEntries(
        Object.entries(value as JsonSchema).map(([k, v]) => [k, cutDepth(v, next)]),
      );
    else if (key === 'items' || key === 'additionalProperties')
      out[key] = isObject(value) ? cutDepth(value, next) : value;
    else if (key === 'anyOf' || key === 'oneOf' || key === 'allOf')
      out[key] = (value as JsonSchema[]).map((v) => cutDepth(v, levels));
    else out[key] = value;
  }
  return out;
}

/**
 * Input descriptions deeper than `depth` levels of properties are dropped: a batch's `create` items or an
 * address's lines are described by the record's own tools, and repeating them is most of a batch tool's size.
 */
export function trimDescriptions(schema: JsonSchema, depth: number, level = 0): JsonSchema {
  if (!isObject(schema)) return schema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description' && level > depth) continue;
    if (key === 'properties' || key === 'patternProperties')
      out[key] = Object.fromEntries(
        Object.entries(value as JsonSchema).map(([k, v]) => [k, trimDescriptions(v, depth, level + 1)]),
      );
    else if (key === 'items' && isObject(value)) out[key] = trimDescriptions(value, depth, level + 1);
    else if ((key === 'anyOf' || key === 'oneOf' || key === 'allOf') && Array.isArray(value))
      out[key] = value.map((v) => trimDescriptions(v, depth, level));
    else if (key === 'additionalProperties' && isObject(value))
      out[key] = trimDescriptions(value, depth, level + 1);
    else out[key] = value;
  }
  return out;
}
