import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandMethodAliases } from '@wooapi/spec/aliases';

/** Where WooCommerce serves wc/v3 below the store root; the spec's paths are relative to it. */
export const API_PREFIX = '/wp-json/wc/v3';

const require = createRequire(import.meta.url);

/** The bundled spec of @wooapi/spec (spec/dist/openapi.json, or another document's bundle such as `@wooapi/spec/legacy-v2.json`). */
export function bundledSpecPath(bundle = '@wooapi/spec/openapi.json'): string {
  try {
    return require.resolve(bundle);
  } catch {
    throw new Error(
      `The bundled spec ${bundle} was not found. Build it first: \`pnpm build\` (or \`pnpm --filter @wooapi/spec build\`).`,
    );
  }
}

export interface OpenApiDoc {
  openapi?: string;
  paths?: Record<string, unknown>;
  webhooks?: Record<string, unknown>;
  servers?: unknown[];
  [key: string]: unknown;
}

export async function readSpec(file: string): Promise<OpenApiDoc> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the OpenAPI document ${file}: ${(error as Error).message}`);
  }
  let doc: OpenApiDoc;
  try {
    doc = JSON.parse(text) as OpenApiDoc;
  } catch (error) {
    throw new Error(
      `The OpenAPI document ${file} is not valid JSON (a bundle is expected): ${(error as Error).message}`,
    );
  }
  if (typeof doc.openapi !== 'string' || !doc.paths || typeof doc.paths !== 'object') {
    throw new Error(
      `The OpenAPI document ${file} has no "openapi" version or no "paths": is it the bundled spec?`,
    );
  }
  return doc;
}

/**
 * Prism matches a request path against the spec's paths only (the server's base path is matched only when a
 * request names a `__server`), so a copy of the bundle with every path under /wp-json/wc/v3 lets the mock answer
 * at the store-root URL a real client uses. Every method alias (`x-wc-method-aliases`: POST and PATCH on updates, PUT
 * and PATCH on batches; HEAD on every GET) becomes an operation of its own, so the mock and the proxy accept every
 * method a store accepts. Webhooks are dropped: nothing requests them from a mock.
 */
export function mountAtStoreRoot(doc: OpenApiDoc, prefix: string = API_PREFIX): OpenApiDoc {
  const paths: Record<string, unknown> = {};
  for (const [path, item] of Object.entries(expandMethodAliases(doc).paths ?? {}))
    paths[`${prefix}${path}`] = item;
  const { webhooks: _webhooks, ...rest } = doc;
  return { ...rest, servers: [{ url: '/' }], paths };
}

/** Writes the store-root copy of `specFile` to a fresh temp dir; `cleanup()` removes it. */
export async function writeMountedSpec(
  specFile: string,
  prefix: string = API_PREFIX,
  transform: (doc: OpenApiDoc) => OpenApiDoc = (doc) => doc,
): Promise<{ file: string; dir: string; cleanup(): Promise<void> }> {
  const doc = transform(mountAtStoreRoot(await readSpec(specFile), prefix));
  const dir = await mkdtemp(join(tmpdir(), 'wooapi-mock-'));
  const file = join(dir, 'openapi.json');
  await writeFile(file, JSON.stringify(doc));
  return { file, dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * The proxy's copy: wherever an operation declares a 501, it declares the same response under `judged` too (the
 * status under which the relay hands Prism a store's 501, which Prism would otherwise answer with a mock).
 */
export function withJudged501(doc: OpenApiDoc, judged: number): OpenApiDoc {
  const paths: Record<string, unknown> = {};
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    const copy: Record<string, unknown> = { ...(item as Record<string, unknown>) };
    for (const [method, op] of Object.entries(copy)) {
      const responses = (op as { responses?: Record<string, unknown> } | null)?.responses;
      if (responses && typeof responses === 'object' && '501' in responses && !(String(judged) in responses))
        copy[method] = { ...(op as object), responses: { ...responses, [judged]: responses['501'] } };
    }
    paths[path] = copy;
  }
  return { ...doc, paths };
}
