import { inspect } from 'node:util';

/** Credentials used across the suite: every test client is built from these, so a leak check knows what to look for. */
export const KEY = 'ck_5b1e0a3f9c7d4e2b8a6f1c0d9e8b7a6f5c4d3e2b';
export const SECRET = 'cs_0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e';
export const APP_PASSWORD = 'abcd EFGH 1234 ijkl MNOP 5678';

const collected: unknown[] = [];

/** Await a promise that must reject; the error is recorded for the suite-wide leak check and returned. */
export async function caught(promise: Promise<unknown> | (() => unknown)): Promise<unknown> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (e) {
    collected.push(e);
    return e;
  }
  throw new Error('expected a rejection, but the call succeeded');
}

/** Record an error obtained another way (an onRetry callback, a batch failure). */
export function record(e: unknown): void {
  collected.push(e);
}

export function collectedErrors(): readonly unknown[] {
  return collected;
}

/** Every rendering of an error someone might log. */
export function renderings(e: unknown): string[] {
  const err = e as Error;
  return [
    String(err?.message),
    String(err?.stack),
    String(e),
    JSON.stringify(e) ?? '',
    inspect(e, { depth: 10 }),
    inspect(e, { depth: 10, showHidden: true }),
  ];
}

export function leaks(
  e: unknown,
  secrets: string[] = [KEY, SECRET, APP_PASSWORD.replace(/\s+/g, '')],
): string[] {
  const found: string[] = [];
  for (const text of renderings(e)) {
    for (const s of secrets) {
      if (text.includes(s) || text.includes(encodeURIComponent(s)))
        found.push(`${s.slice(0, 5)}... in ${text.slice(0, 80)}`);
    }
  }
  return found;
}
