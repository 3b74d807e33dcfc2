// Shared by the spec tests: where the bundle and the reference data live, and an Ajv that validates against any
// schema of the bundle by JSON pointer (every component registered through the one document).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import * as Ajv2020Module from 'ajv/dist/2020';
import * as addFormatsModule from 'ajv-formats';

export const specDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.resolve(specDir, '..');
export const bundlePath = path.join(specDir, 'dist/openapi.json');

/** The shared reference folder: WOOAPI_SHARED, else `../shared` beside the repo. */
export const sharedDir = process.env.WOOAPI_SHARED
  ? path.resolve(process.env.WOOAPI_SHARED)
  : path.resolve(repoRoot, '../shared');
export const hasShared = existsSync(path.join(sharedDir, 'reference'));

export function warnSharedMissing(suite: string): void {
  if (!hasShared)
    console.warn(`${suite} skipped: ../shared not found (looked in ${sharedDir}; set WOOAPI_SHARED)`);
}

export type OpenApiDoc = {
  paths?: Record<string, Record<string, unknown>>;
  webhooks?: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
};

export function loadBundle(): OpenApiDoc {
  if (!existsSync(bundlePath)) {
    throw new Error(
      `${bundlePath} not found: build the spec first (pnpm build, or turbo run test, which builds).`,
    );
  }
  return JSON.parse(readFileSync(bundlePath, 'utf8')) as OpenApiDoc;
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** RFC 6901 pointer segment. */
export const esc = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');
export const pointer = (...parts: (string | number)[]): string =>
  `#/${parts.map((p) => esc(String(p))).join('/')}`;

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

/** Resolves a local `$ref` chain inside the bundle; returns the target and the pointer it lives at. */
export function deref(doc: OpenApiDoc, node: unknown, at: string): { node: unknown; at: string } {
  let n = node;
  let where = at;
  const seen = new Set<string>();
  while (n && typeof n === 'object' && typeof (n as { $ref?: unknown }).$ref === 'string') {
    const ref = (n as { $ref: string }).$ref;
    if (!ref.startsWith('#/') || seen.has(ref)) break;
    seen.add(ref);
    where = ref;
    n = ref
      .slice(2)
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      // biome-ignore lint/suspicious/noExplicitAny: walking untyped JSON
      .reduce<any>((o, k) => (o == null ? o : o[k]), doc);
  }
  return { node: n, at: where };
}

/** `/orders/{order_id}/notes/{id}` -> `/orders/{}/notes/{}`. */
export const pathShape = (p: string): string => p.replace(/\{[^}]+\}/g, '{}');
