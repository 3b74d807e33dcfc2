// The audit: one JSON line per decision, with a plain-English sentence. Never a secret or a token; customer PII
// redacted unless the policy includes it.
import { mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export type AuditDecision = 'allowed' | 'denied' | 'invalid' | 'error';

export interface AuditEntry {
  time: string;
  agent: string | null;
  tool: string | null;
  operationId: string | null;
  /** What the call does: the operation's verb, or its named actions. */
  action: string | null;
  /** The named actions (x-wc-action) the call performs. */
  actions?: string[];
  /** The record(s) the call names: its path arguments. */
  resourceId: Record<string, unknown> | null;
  resource: string | null;
  store: string | null;
  decision: AuditDecision;
  rule: string;
  /** The store's HTTP status, when the store was called. */
  status: number | null;
  durationMs: number;
  /** Through which door: a tool by its name, `call_operation` (discovery), `ai-sdk`, `functions`, or `http`. */
  via: string;
  arguments?: unknown;
  /** The store's or the input's error code, never its full message (which can hold customer data). */
  error?: string;
  sentence: string;
}

export type AuditSink = (line: string) => void;

export const stderrSink: AuditSink = (line) => {
  process.stderr.write(`${line}\n`);
};

/** Appends to `file` synchronously: a line is on disk before the tool answers, and nothing is half-written. */
export function fileSink(file: string): AuditSink {
  mkdirSync(dirname(file), { recursive: true });
  // One descriptor for the process: each line is one write(2) in append mode, so lines never interleave.
  const fd = openSync(file, 'a', 0o600);
  return (line) => {
    writeSync(fd, `${line}\n`);
  };
}

const SECRET_KEY = /secret|password|passwd|token|authorization|api_?key|consumer_key|signature/i;
const PII_KEY =
  /email|phone|first_?name|last_?name|^name$|full_?name|address|postcode|zip|city|company|ip_address|user_agent|username|^search$|^reviewer/i;
const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/;

/** A copy of `value` fit for the audit: secrets always redacted, PII unless `includePii`. */
export function redact(value: unknown, includePii: boolean, key = ''): unknown {
  if (SECRET_KEY.test(key)) return value === undefined ? undefined : '[redacted]';
  if (!includePii && key && PII_KEY.test(key) && value !== null && typeof value !== 'object')
    return '[redacted]';
  if (Array.isArray(value)) return value.map((v) => redact(v, includePii, key));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, includePii, k)]));
  }
  if (!includePii && typeof value === 'string' && EMAIL.test(value)) return '[redacted]';
  return value;
}

export interface Audit {
  record(entry: Omit<AuditEntry, 'time' | 'sentence'> & { sentence?: string }): AuditEntry;
}

/**
 * An audit writing to `sink`. `secrets` are strings (the store key and secret, bearer tokens) scrubbed from every
 * line as a last guard, whatever field they reach.
 */
export function createAudit(options: { sink: AuditSink; includePii?: boolean; secrets?: string[] }): Audit {
  const secrets = (options.secrets ?? []).filter((s) => s && s.length >= 4);
  return {
    record(entry) {
      const full: AuditEntry = {
        time: new Date().toISOString(),
        ...entry,
        ...(entry.arguments !== undefined
          ? { arguments: redact(entry.arguments, !!options.includePii) }
          : {}),
        sentence: entry.sentence ?? sentenceOf(entry),
      };
      let line = JSON.stringify(full);
      for (const s of secrets) if (line.includes(s)) line = line.split(s).join('[redacted]');
      options.sink(line);
      return full;
    },
  };
}

const words = (s: string) => s.replace(/_/g, ' ');
const plural = (s: string) =>
  /(s|data)$/.test(s) ? s : /[^aeiou]y$/.test(s) ? `${s.slice(0, -1)}ies` : `${s}s`;

/** `store-ops read order 727 on shop.example.com: allowed (orders: read)`. */
export function sentenceOf(e: Omit<AuditEntry, 'time' | 'sentence'>): string {
  const who = e.agent ?? 'an unidentified caller';
  if (!e.tool) return `${who}: ${e.decision} (${e.rule})`;
  const ids = e.resourceId ?? {};
  const own = ids.id !== undefined ? ` ${ids.id}` : '';
  const parents = Object.entries(ids)
    .filter(([k]) => k !== 'id')
    .map(([k, v]) => ` of ${words(k.replace(/_id$/, ''))} ${v}`)
    .join('');
  const noun = e.resource ? words(e.action === 'list' ? plural(e.resource) : e.resource) : undefined;
  const what = noun ? `${noun}${own}${parents}` : e.tool;
  const where = e.store ? ` on ${e.store}` : '';
  const base = `${who} ${e.action ?? 'call'} ${what}${where}: `;
  switch (e.decision) {
    case 'allowed':
      return `${base}allowed (${e.rule})${e.status ? `, the store answered ${e.status}` : ''}`;
    case 'denied':
      return `${base}denied (${e.rule})`;
    case 'invalid':
      return `${base}refused as invalid input (${e.error ?? e.rule})`;
    case 'error':
      return `${base}allowed (${e.rule}), but the store answered ${e.status ?? 'nothing'}${e.error ? ` ${e.error}` : ''}`;
  }
}
