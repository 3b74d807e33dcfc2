/**
 * `Retry-After`, read only when a store answers a retryable status: its own module so that the retry wait (in the
 * chunk loaded on the first failure, fail.ts) and `retryMiddleware` share it without a shared chunk of the entry.
 */

/** `Retry-After` in ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(+v * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
