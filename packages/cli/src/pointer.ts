// JSON Pointers (RFC 6901) for messages: where in the document something happened.

export const escapeToken = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

export const pointer = (tokens: readonly string[]): string => `#/${tokens.map(escapeToken).join('/')}`;

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null;

/**
 * The pointers where `after` differs from `before`: a key added or removed is reported at that key, a changed
 * scalar at its place. Subtrees that are the same object are skipped, so an overlay action costs a walk of what
 * it touched plus a pass over the rest.
 */
export function changedPointers(before: Json, after: Json, at: string[] = [], out: string[] = []): string[] {
  if (before === after) return out;
  if (!isObject(before) || !isObject(after) || Array.isArray(before) !== Array.isArray(after)) {
    out.push(pointer(at));
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length !== after.length) {
    out.push(pointer(at));
    return out;
  }
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    if (!(key in before) || !(key in after)) out.push(pointer([...at, key]));
    else changedPointers(before[key], after[key], [...at, key], out);
  }
  return out;
}
