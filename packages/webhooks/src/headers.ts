/** Headers as a Fetch `Headers`, or as Node's `req.headers` (lower-cased names, arrays for repeated headers). */
export type HeadersInput =
  | Headers
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** One header's value; a header sent twice is an error for the caller to report, so it comes back as an array. */
export function readHeader(headers: HeadersInput, name: string): string | string[] | undefined {
  if (typeof (headers as Headers).get === 'function') {
    return (headers as Headers).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | readonly string[] | undefined>;
  const lower = name.toLowerCase();
  let found: string | readonly string[] | undefined = record[lower];
  if (found === undefined) {
    // Plain objects built by hand may keep WooCommerce's casing.
    for (const key of Object.keys(record)) {
      if (key.toLowerCase() === lower) {
        found = record[key];
        break;
      }
    }
  }
  if (Array.isArray(found)) return found.length === 1 ? (found[0] as string) : [...found];
  return found as string | undefined;
}
