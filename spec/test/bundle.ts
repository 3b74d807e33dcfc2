// The plain parts of the spec tests' helpers, without Ajv: where the bundle and the reference data live, and how to
// walk the bundle. Kept apart so that tests of other packages (packages/mock/test/contract-replay.test.ts) can read
// the recorded traffic with spec/test/recorded.ts without resolving the spec's own dev dependencies.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
