import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

// biome-ignore lint/suspicious/noExplicitAny: the bundle is plain JSON, walked generically
export type Doc = any;

/** The bundled spec the mock serves (built by turbo before the tests: `test` depends on `^build`). */
export function loadBundle(): Doc {
  return JSON.parse(readFileSync(require.resolve('@wooapi/spec/openapi.json'), 'utf8'));
}

export function resolveRef(doc: Doc, node: Doc): Doc {
  let current = node;
  while (current && typeof current.$ref === 'string') {
    current = current.$ref
      .slice(2)
      .split('/')
      .reduce((o: Doc, k: string) => o?.[k.replaceAll('~1', '/').replaceAll('~0', '~')], doc);
  }
  return current;
}

export interface Operation {
  path: string;
  method: string;
  op: Doc;
}

export function operations(doc: Doc): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries<Doc>(doc.paths ?? {})) {
    for (const method of ['get', 'put', 'post', 'patch', 'delete']) {
      if (item[method]) out.push({ path, method, op: item[method] });
    }
  }
  return out;
}

/** The example a response declares (media-type `example`, or the first of `examples`). */
export function responseExample(doc: Doc, op: Doc, status: string): unknown {
  const response = resolveRef(doc, op.responses?.[status]);
  const media = response?.content?.['application/json'];
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  const first = Object.values<Doc>(media.examples ?? {})[0];
  return first ? resolveRef(doc, first).value : undefined;
}

/** Fills path parameters with 1 (WooCommerce ids are integers). */
export function concretePath(path: string): string {
  return path.replace(/\{[^}]+\}/g, '1');
}

export const basicAuth = { Authorization: `Basic ${Buffer.from('ck_test:cs_test').toString('base64')}` };

export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}
