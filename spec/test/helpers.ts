// Shared by the spec tests: where the bundle and the reference data live (bundle.ts), and an Ajv that validates
// against any schema of the bundle by JSON pointer (every component registered through the one document).
import type { ErrorObject, ValidateFunction } from 'ajv';
import * as Ajv2020Module from 'ajv/dist/2020';
import * as addFormatsModule from 'ajv-formats';
import type { OpenApiDoc } from './bundle.js';

export * from './bundle.js';

// ajv and ajv-formats are CommonJS; take the default export whichever way the loader hands it over.
// biome-ignore lint/suspicious/noExplicitAny: CJS/ESM interop
const unwrap = (m: any) => m.default?.default ?? m.default ?? m;
const Ajv2020 = unwrap(Ajv2020Module);
const addFormats = unwrap(addFormatsModule);

const DOC_ID = 'openapi.json';

export type Validator = {
  /** Validates `value` against the schema at `ptr` (a `#/...` pointer into the bundle). */
  validate(ptr: string, value: unknown): { valid: boolean; errors: string[] };
};

/** An Ajv 2020 instance holding the whole bundle, so `#/components/...` refs resolve as they do for any consumer. */
export function makeValidator(doc: OpenApiDoc): Validator {
  // strict: false because OpenAPI adds keywords JSON Schema does not know (example, discriminator, x-*).
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(doc, DOC_ID);
  const cache = new Map<string, ValidateFunction>();
  return {
    validate(ptr, value) {
      let fn = cache.get(ptr);
      if (!fn) {
        fn = ajv.getSchema(`${DOC_ID}${ptr}`) as ValidateFunction | undefined;
        if (!fn) throw new Error(`no schema at ${ptr}`);
        cache.set(ptr, fn);
      }
      const valid = fn(value) as boolean;
      return { valid, errors: valid ? [] : formatErrors(fn.errors ?? []) };
    },
  };
}

export function formatErrors(errors: ErrorObject[]): string[] {
  return errors.map((e) => {
    const extra =
      e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties'
        ? ` (${JSON.stringify(e.params)})`
        : e.keyword === 'enum'
          ? ` (${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)})`
          : '';
    return `${e.instancePath || '/'} ${e.message}${extra}`;
  });
}
