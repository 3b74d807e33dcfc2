// The base document `wooapi` commands start from: the published bundle of @wooapi/spec, or a file.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CliError } from './errors.js';

const require = createRequire(import.meta.url);

export interface BaseSpec {
  doc: Record<string, unknown>;
  /** How messages name it: `@wooapi/spec 0.1.0` or the file path. */
  label: string;
}

export function publishedSpecPath(): string {
  return require.resolve('@wooapi/spec/openapi.json');
}

export function readSpecFile(file: string, label = file): BaseSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(
      `${file}: cannot read the spec (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new CliError(
      `${file}: not JSON (${(error as Error).message}); pass a bundled openapi.json (wooapi generate writes one).`,
    );
  }
  if (typeof doc !== 'object' || doc === null || typeof (doc as { openapi?: unknown }).openapi !== 'string') {
    throw new CliError(`${file}: has no "openapi" version: is it a bundled OpenAPI document?`);
  }
  return { doc: doc as Record<string, unknown>, label };
}

/** `--spec FILE` if given, else the bundle of the installed @wooapi/spec. */
export function readBaseSpec(file?: string): BaseSpec {
  if (file) return readSpecFile(file);
  const version = (require('@wooapi/spec/package.json') as { version: string }).version;
  return readSpecFile(publishedSpecPath(), `@wooapi/spec ${version}`);
}

export function countOperations(doc: Record<string, unknown>): number {
  let n = 0;
  for (const item of Object.values((doc.paths ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const [method, op] of Object.entries(item ?? {})) {
      if (['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'].includes(method) && op)
        n += 1;
    }
  }
  return n;
}
