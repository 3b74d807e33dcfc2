// The recorded traffic of a real store (../shared/reference/recorded-<version>/): loading it, the rules that leave a
// record out (each named, with its reason), and finding the spec operation and response a record must match.
// Shared by spec/test/recorded-traffic.test.ts and the contract replay in packages/mock/test, so both judge the
// same records the same way. The rules are written against what a store does, not against particular records:
// other recordings of other stores are checked with the same rules.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { operationFor } from '../lib/aliases.mjs';
import { deref, type OpenApiDoc, pathShape, pointer, sharedDir } from './bundle.js';

export const recordedDir = path.join(sharedDir, 'reference/recorded-11.0.1');
export const hasRecording = existsSync(path.join(recordedDir, 'traffic'));
export const TRAFFIC_FILES = [
  'seed.jsonl',
  'reads.jsonl',
  'writes.jsonl',
  'errors.jsonl',
  'auth.jsonl',
  'webhook-triggers.jsonl',
] as const;

export type HttpRecord = {
  file: string;
  seq: number;
  name: string;
  method: string;
  path_template: string | null;
  wp_route?: string | null;
  path: string;
  url: string;
  query: Record<string, string | string[]>;
  auth: string;
  request_headers: Record<string, string>;
  request_body: unknown;
  status: number;
  response_headers: Record<string, string | string[]>;
  response_body: unknown;
  response_is_json: boolean;
  response_text: string;
};

export type Delivery = {
  n: number;
  topic: string;
  is_ping: boolean;
  webhook: { api_version: string };
  signature: unknown;
  headers: Record<string, string>;
  body: string;
  parsed_body: unknown;
};

export function loadRecords(): HttpRecord[] {
  return TRAFFIC_FILES.flatMap((file) =>
    readFileSync(path.join(recordedDir, 'traffic', file), 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => ({ ...(JSON.parse(line) as Omit<HttpRecord, 'file'>), file })),
  );
}

export function loadDeliveries(): Delivery[] {
  return readFileSync(path.join(recordedDir, 'webhooks.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Delivery);
}

const API = '/wp-json/wc/v3';
const apiPath = (r: HttpRecord): string | null => {
  const p = new URL(r.url).pathname;
  return p === API || p.startsWith(`${API}/`) ? p.slice(API.length) || '/' : null;
};
const errorCode = (r: HttpRecord): unknown =>
  r.response_body && typeof r.response_body === 'object'
    ? (r.response_body as { code?: unknown }).code
    : null;

/**
 * Records that are not wc/v3 API exchanges the spec describes. A rule names what it leaves out and why; the test
 * checks that every rule still leaves out at least one record, so the list cannot rot.
 */
export const EXCLUSIONS: { name: string; reason: string; test: (r: HttpRecord) => boolean }[] = [
  {
    name: 'outside wc/v3',
    reason:
      'another namespace of the same WordPress (Store API wc/store/v1, wp/v2 settings, an unknown wc/v9): other APIs, not described here',
    test: (r) => apiPath(r) === null,
  },
  {
    name: 'namespace index',
    reason:
      "GET /wp-json/wc/v3 is WordPress's self-description of the namespace (its route index), not a WooCommerce operation; spec:coverage leaves it out too",
    test: (r) => apiPath(r) === '/',
  },
  {
    name: 'no such route',
    reason:
      'the store answered rest_no_route (an unknown path, a non-numeric ID, a method the route does not register): there is no operation to check',
    test: (r) => r.status === 404 && errorCode(r) === 'rest_no_route',
  },
  {
    name: 'OPTIONS',
    reason:
      "WordPress answers OPTIONS on every route with the route's self-description (methods, args, schema), the index format; it is the server's, not an operation of the API",
    test: (r) => r.method === 'OPTIONS',
  },
];

export function exclusionOf(r: HttpRecord): { name: string; reason: string } | undefined {
  return EXCLUSIONS.find((rule) => rule.test(r));
}

/** The method WordPress dispatches: `_method` in the query or `X-HTTP-Method-Override` on a POST override it. */
export function effectiveMethod(r: HttpRecord): string {
  if (r.method !== 'POST') return r.method;
  const header = Object.entries(r.request_headers ?? {}).find(
    ([k]) => k.toLowerCase() === 'x-http-method-override',
  )?.[1];
  const query = r.query?._method;
  const override = typeof query === 'string' ? query : header;
  return override ? override.toUpperCase() : r.method;
}

export type Target = {
  specPath: string;
  /** The method the spec documents (an alias resolves to it). */
  method: string;
  operation: Record<string, unknown>;
  /** Pointer to the operation in the bundle. */
  at: string;
};

/** The operation a record's route and (effective) method resolve to, documented or through a method alias. */
export function findOperation(doc: OpenApiDoc, r: HttpRecord): Target | undefined {
  if (!r.path_template) return undefined;
  const shape = pathShape(r.path_template);
  const specPath = Object.keys(doc.paths ?? {}).find((p) => pathShape(p) === shape);
  if (!specPath) return undefined;
  const { node: item, at } = deref(doc, doc.paths?.[specPath], pointer('paths', specPath));
  const entry = operationFor(item, effectiveMethod(r));
  if (!entry) return undefined;
  return {
    specPath,
    method: entry.documented,
    operation: entry.operation as Record<string, unknown>,
    at: `${at}/${entry.documented}`,
  };
}

/**
 * What the client really received: with `_envelope` WordPress answers 200 with `{body, status, headers}`, the
 * response the operation describes wrapped inside; everything else is the record as it is.
 */
export function unwrapEnvelope(r: HttpRecord): {
  status: number;
  headers: Record<string, string | string[]>;
  body: unknown;
  enveloped: boolean;
} {
  const b = r.response_body as { body?: unknown; status?: unknown; headers?: unknown } | null;
  if ('_envelope' in (r.query ?? {}) && b && typeof b === 'object' && typeof b.status === 'number') {
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries((b.headers ?? {}) as Record<string, unknown>))
      headers[k.toLowerCase()] = Array.isArray(v) ? v.map(String) : String(v);
    return { status: b.status, headers, body: b.body, enveloped: true };
  }
  return { status: r.status, headers: r.response_headers ?? {}, body: r.response_body, enveloped: false };
}
