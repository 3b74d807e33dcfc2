/**
 * Per-request steering of the mock through Prism's `Prefer` header: pass the result in `init.headers`
 * (`client.GET('/products/{id}', { params, headers: prefer({ code: 404 }) })`).
 */
export interface Preference {
  /** The response status to answer with; the operation must declare it in the spec. */
  code?: number;
  /** The name of a named example of that response. */
  example?: string;
  /** Generate the body from the schema (true) or use the examples (false), whatever the server's mode. */
  dynamic?: boolean;
  /** Seed for a dynamic body, for repeatable data. */
  seed?: string;
}

export function prefer(preference: Preference): { Prefer: string } {
  if (preference === null || typeof preference !== 'object') {
    throw new Error(
      'prefer() takes an object such as { code: 404 } or { example: "name" } or { dynamic: true }',
    );
  }
  const parts: string[] = [];
  const { code, example, dynamic, seed } = preference;
  if (code !== undefined) {
    if (!Number.isInteger(code) || code < 100 || code > 599) {
      throw new Error(`prefer({ code }) needs an HTTP status from 100 to 599, got ${JSON.stringify(code)}`);
    }
    parts.push(`code=${code}`);
  }
  if (example !== undefined) {
    if (typeof example !== 'string' || !/^[^\s,;=]+$/.test(example)) {
      throw new Error(
        `prefer({ example }) needs an example name without spaces, commas or "=", got ${JSON.stringify(example)}`,
      );
    }
    parts.push(`example=${example}`);
  }
  if (dynamic !== undefined) {
    if (typeof dynamic !== 'boolean')
      throw new Error(`prefer({ dynamic }) needs true or false, got ${JSON.stringify(dynamic)}`);
    parts.push(`dynamic=${dynamic}`);
  }
  if (seed !== undefined) {
    if (typeof seed !== 'string' || !/^[^\s,;=]+$/.test(seed)) {
      throw new Error(
        `prefer({ seed }) needs a seed without spaces, commas or "=", got ${JSON.stringify(seed)}`,
      );
    }
    parts.push(`seed=${seed}`);
  }
  if (parts.length === 0) throw new Error('prefer() needs at least one of code, example, dynamic or seed');
  return { Prefer: parts.join(', ') };
}
