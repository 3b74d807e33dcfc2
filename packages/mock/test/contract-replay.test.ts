// Contract replay: the recorded traffic of a real WooCommerce 11.0.1 store (../shared/reference/recorded-11.0.1),
// replayed through the validating proxy. A small upstream on 127.0.0.1 answers each recorded request with the
// store's recorded answer (status, headers, exact body bytes); the recorded request goes through one `startProxy`
// (the real Prism, validating requests and responses). For every wc/v3 record (chosen by the same named rules as
// spec/test/recorded-traffic.test.ts) the proxy must pass the store's answer through unchanged and report:
//   - no response violation: what the store sends is what the spec says;
//   - no request violation for a request the store accepted, except the store's known leniencies (LENIENT: the
//     store answered 2xx to input its own rules refuse, and the spec keeps the rule);
//   - for a request the store refused (4xx), request violations only: the spec refuses it too.
// Where the proxy itself cannot judge a record yet (PROXY_GAPS), the record is listed with the reason; each gap must
// still show, so a fixed proxy makes this test say which rule to drop.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hasShared, warnSharedMissing } from '../../../spec/test/bundle.js';
import {
  exclusionOf,
  type HttpRecord,
  hasRecording,
  loadRecords,
  recordedDir,
} from '../../../spec/test/recorded.js';
import { type ProxyServer, parseViolations, startProxy, type Violation } from '../dist/index.js';
import { basicAuth } from './helpers.js';

vi.setConfig({ testTimeout: 600_000, hookTimeout: 90_000 });

const TAG = 'x-wooapi-replay';
// Hop-by-hop and framing headers: the upstream's own server sets them for the bytes it sends.
const FRAMING = new Set([
  'transfer-encoding',
  'connection',
  'content-length',
  'keep-alive',
  'content-encoding',
]);
const CONCURRENCY = 6;
const key = (r: HttpRecord) => `${r.file}:${r.seq}`;
const _header = (r: HttpRecord, name: string) =>
  Object.entries(r.request_headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];

/** Requests the store accepted (2xx) although they break its own argument rules; the spec keeps the rule. */
const LENIENT: Record<string, string> = {
  '200-products-include-not-int': '`include=abc`: WordPress drops what is not an ID instead of refusing it',
  '200-reviews-status-bogus': 'an unknown review `status` is ignored, not refused',
  '200-shipping-zone-location-type-bogus':
    'a location of an unknown `type` is dropped silently (and clears the zone): a store bug, not a contract',
  '200-setting-missing-value': 'an update without `value` blanks the setting: a store bug, not a contract',
  '200-order-receipt-invalid-date': 'an `expiration_date` that is no date is ignored',
  '200-product-date-on-sale-invalid':
    '`date_on_sale_from: "next tuesday"` is read with PHP strtotime; the spec asks for the form the store sends back',
  '200-batch-create-not-array': 'a `create` that is no list is skipped, the batch answers `[]`',
  '200-batch-update-missing-id': 'an update item without `id` becomes an error item inside a 200',
  '200-batch-delete-non-numeric': 'non-numeric delete IDs are dropped, the batch answers `[]`',
};

/** What the proxy cannot judge yet, by rule, with the change it needs (reported to the mock package). */
// None left: a store's 501, `_envelope` answers, `_method` / X-HTTP-Method-Override and form-encoded bodies are
// judged now (test/proxy-judged.test.ts has a focused test for each). A new gap goes here with its reason.
const PROXY_GAPS: { name: string; reason: string; test: (r: HttpRecord) => boolean }[] = [];
const gapOf = (r: HttpRecord) => PROXY_GAPS.find((g) => g.test(r));

/** The request as a client sent it, with a placeholder Basic credential where the recording redacted the real one. */
function requestOf(r: HttpRecord): { path: string; init: RequestInit } {
  const url = new URL(r.url);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(r.request_headers ?? {})) {
    const lower = name.toLowerCase();
    if (lower === 'host' || lower === 'content-length' || lower === 'connection') continue;
    headers[lower] = lower === 'authorization' && /REDACTED/.test(value) ? basicAuth.Authorization : value;
  }
  headers[TAG] = key(r);
  let body: string | undefined;
  if (r.request_body !== null && r.request_body !== undefined && r.method !== 'GET' && r.method !== 'HEAD')
    body = typeof r.request_body === 'string' ? r.request_body : JSON.stringify(r.request_body);
  return { path: `${url.pathname}${url.search}`, init: { method: r.method, headers, body } };
}

async function pool<T>(items: T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await run(items[next++] as T);
    }),
  );
}

type Outcome = { status: number; violations: Violation[]; body?: string; error?: string };

warnSharedMissing('contract-replay.test');
if (hasShared && !hasRecording) console.warn(`contract-replay.test skipped: ${recordedDir} not found`);

describe.skipIf(!hasShared || !hasRecording)('contract replay of a real store through startProxy', () => {
  const records = hasShared && hasRecording ? loadRecords().filter((r) => !exclusionOf(r)) : [];
  const byKey = new Map(records.map((r) => [key(r), r]));
  let upstream: Server;
  let proxy: ProxyServer;
  const outcomes = new Map<string, Outcome>();

  beforeAll(async () => {
    upstream = createServer((req: IncomingMessage, res) => {
      const tag = req.headers[TAG];
      const r = typeof tag === 'string' ? byKey.get(tag) : undefined;
      req.resume();
      if (!r) {
        res.writeHead(599, { 'content-type': 'text/plain' });
        res.end(`no recorded exchange for ${String(tag)}`);
        return;
      }
      for (const [name, value] of Object.entries(r.response_headers ?? {}))
        if (!FRAMING.has(name)) res.setHeader(name, value);
      res.writeHead(r.status);
      res.end(r.method === 'HEAD' ? undefined : r.response_text);
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', () => resolve()));
    const { port } = upstream.address() as AddressInfo;
    proxy = await startProxy({ upstream: `http://127.0.0.1:${port}` });
    await pool(records, CONCURRENCY, async (r) => {
      const { path, init } = requestOf(r);
      try {
        const res = await fetch(`${proxy.url}${path}`, { ...init, signal: AbortSignal.timeout(60_000) });
        const body = await res.text();
        outcomes.set(key(r), {
          status: res.status,
          body,
          violations: parseViolations(res.headers.get('sl-violations') ?? undefined),
        });
      } catch (error) {
        outcomes.set(key(r), { status: -1, violations: [], error: (error as Error).message });
      }
    });
  }, 600_000);

  afterAll(async () => {
    await proxy?.stop();
    upstream?.close();
  });

  const judged = () => records.filter((r) => !gapOf(r));
  const describeOutcome = (r: HttpRecord, o: Outcome | undefined) => ({
    record: `${r.file} ${r.name}: ${r.method} ${r.path_template} -> store ${r.status}, proxy ${o?.status}`,
    violations: (o?.violations ?? []).slice(0, 4).map((v) => `${v.location}: ${v.message}`),
    ...(o?.error ? { error: o.error } : {}),
  });

  it('replays the whole recording through one proxy', () => {
    expect(records.length).toBeGreaterThan(900);
    expect(outcomes.size).toBe(records.length);
    const counts = {
      records: records.length,
      judged: judged().length,
      gaps: records.length - judged().length,
    };
    const refused = judged().filter(
      (r) => r.status >= 400 && (outcomes.get(key(r))?.violations.length ?? 0) > 0,
    );
    console.log(
      `contract replay: ${counts.records} wc/v3 records, ${counts.judged} judged (${refused.length} refused by store and spec alike), ${counts.gaps} in proxy gaps`,
    );
  });

  it("passes every store answer through unchanged: the client gets the store's status", () => {
    const wrong = judged()
      .filter((r) => outcomes.get(key(r))?.status !== r.status)
      .map((r) => describeOutcome(r, outcomes.get(key(r))));
    expect(wrong).toEqual([]);
    // And the store's body, byte for byte (Prism alone sends its own JSON.stringify of what it parsed).
    const rewritten = judged()
      .filter((r) => r.method !== 'HEAD' && outcomes.get(key(r))?.body !== (r.response_text ?? ''))
      .map((r) => describeOutcome(r, outcomes.get(key(r))));
    expect(rewritten).toEqual([]);
  });

  it('reports no response violation for any store answer', () => {
    const broken = judged()
      .filter((r) => outcomes.get(key(r))?.violations.some((v) => !v.location.startsWith('request')))
      .map((r) => describeOutcome(r, outcomes.get(key(r))));
    expect(broken).toEqual([]);
  });

  it('reports no request violation for a request the store accepted, beyond its known leniencies', () => {
    const broken = judged()
      .filter(
        (r) => r.status < 400 && !(r.name in LENIENT) && (outcomes.get(key(r))?.violations.length ?? 0) > 0,
      )
      .map((r) => describeOutcome(r, outcomes.get(key(r))));
    expect(broken).toEqual([]);
    // Each leniency still shows: the store accepted it, and the spec refuses it.
    for (const name of Object.keys(LENIENT)) {
      const r = judged().find((x) => x.name === name);
      expect(r, `${name} is in the recording`).toBeDefined();
      const o = outcomes.get(key(r as HttpRecord));
      expect(o?.violations.length, `${name} still breaks the spec's request rules`).toBeGreaterThan(0);
      expect(o?.violations.every((v) => v.location.startsWith('request'))).toBe(true);
    }
  });

  it('lists every record the proxy cannot judge yet under a gap that still shows', () => {
    for (const gap of PROXY_GAPS) {
      const hit = records.filter((r) => gapOf(r) === gap);
      expect(hit.length, `${gap.name} still applies to a record`).toBeGreaterThan(0);
      const stillShows = hit.some((r) => {
        const o = outcomes.get(key(r));
        return o?.status !== r.status || (o?.violations.length ?? 0) > 0;
      });
      expect(stillShows, `${gap.name}: the proxy handles it now; drop the gap (${gap.reason})`).toBe(true);
    }
  });
});
