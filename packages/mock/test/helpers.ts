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

/** A request for an operation built from the spec alone: example path values, required query, example body. */
export function exampleRequest(
  doc: Doc,
  path: string,
  method: string,
  op: Doc,
): { url: string; init: RequestInit } {
  const item = resolveRef(doc, doc.paths[path]);
  const params: Doc[] = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: Doc) =>
    resolveRef(doc, p),
  );
  const sampleOf = (p: Doc) => {
    const s = resolveRef(doc, p?.schema) ?? {};
    return p?.example ?? s.examples?.[0] ?? s.example ?? s.enum?.[0] ?? (s.type === 'string' ? 'general' : 1);
  };
  const concrete = path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(String(sampleOf(params.find((p) => p.name === name && p.in === 'path')))),
  );
  const query = new URLSearchParams();
  for (const p of params) if (p.in === 'query' && p.required) query.set(p.name, String(sampleOf(p)));
  const media = resolveRef(doc, op.requestBody)?.content?.['application/json'];
  const body = media
    ? (media.example ?? resolveRef(doc, Object.values<Doc>(media.examples ?? {})[0])?.value)
    : undefined;
  const headers: Record<string, string> = { ...basicAuth };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return {
    url: `${concrete}${query.size ? `?${query}` : ''}`,
    init: {
      method: method.toUpperCase(),
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    },
  };
}
