// Reading and applying an OpenAPI Overlay 1.0 document. The actions themselves are applied by openapi-format's
// `openapiOverlay` (docs/decisions/cli-overlay.md); what this module adds is the checking a user needs: a clear
// error naming the file, the action and its target when the overlay is malformed or a target matches nothing.
import { readFileSync } from 'node:fs';
import { openapiOverlay } from 'openapi-format';
import { parseDocument } from 'yaml';
import { CliError } from './errors.js';
import { changedPointers } from './pointer.js';

export interface OverlayAction {
  target: string;
  description?: string;
  update?: unknown;
  remove?: boolean;
}

export interface Overlay {
  overlay: string;
  info: { title: string; version: string };
  actions: OverlayAction[];
}

/** One applied action and the JSON pointers it changed (for attributing lint problems to it). */
export interface AppliedAction {
  index: number;
  action: OverlayAction;
  changed: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `actions[2] ("Add the badges route", target $.paths)`: how messages name an action. */
export const describeAction = (index: number, action: Partial<OverlayAction>): string =>
  `actions[${index}]${action.description ? ` ("${action.description.split(/(?<=\.)\s/)[0]}")` : ''}` +
  (typeof action.target === 'string' ? ` target ${action.target}` : '');

/** Parses YAML (or JSON) text as an overlay, or throws a CliError naming `file` and what is wrong. */
export function parseOverlay(text: string, file: string): Overlay {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const where = first.linePos?.[0]
      ? ` at line ${first.linePos[0].line}, column ${first.linePos[0].col}`
      : '';
    throw new CliError(
      `${file}: not valid YAML${where}: ${first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}\nFix the file and run the command again; nothing was written.`,
    );
  }
  const value = doc.toJS() as unknown;
  const problems: string[] = [];
  if (!isObject(value)) {
    throw new CliError(
      `${file}: an overlay is a YAML mapping with overlay, info and actions; this file holds ${typeof value}.`,
    );
  }
  if (typeof value.overlay !== 'string' || !/^1\.0\.\d+$/.test(value.overlay)) {
    problems.push(`overlay: must be "1.0.0" (OpenAPI Overlay 1.0), got ${JSON.stringify(value.overlay)}`);
  }
  const info = value.info;
  if (!isObject(info) || typeof info.title !== 'string' || typeof info.version !== 'string') {
    problems.push('info: must hold a title and a version (strings)');
  }
  if (!Array.isArray(value.actions) || value.actions.length === 0) {
    problems.push('actions: must be a non-empty list of { target, update | remove }');
  } else {
    value.actions.forEach((raw: unknown, i: number) => {
      if (!isObject(raw)) {
        problems.push(`actions[${i}]: must be a mapping with target and update or remove`);
        return;
      }
      const name = describeAction(i, raw as Partial<OverlayAction>);
      if (typeof raw.target !== 'string' || !raw.target.startsWith('$')) {
        problems.push(`${name}: target must be a JSONPath string starting with $`);
      }
      const hasUpdate = 'update' in raw;
      const hasRemove = raw.remove === true;
      if ('remove' in raw && typeof raw.remove !== 'boolean')
        problems.push(`${name}: remove must be true or false`);
      if (hasUpdate === hasRemove) problems.push(`${name}: needs exactly one of update or remove: true`);
      if (raw.target === '$' && hasRemove) problems.push(`${name}: the whole document cannot be removed`);
      const known = new Set(['target', 'description', 'update', 'remove']);
      for (const key of Object.keys(raw)) {
        if (!known.has(key) && !key.startsWith('x-'))
          problems.push(
            `${name}: unknown field "${key}" (Overlay 1.0 has target, description, update, remove)`,
          );
      }
    });
  }
  if (problems.length > 0) {
    throw new CliError(
      `${file}: not a valid OpenAPI Overlay 1.0 document:\n  ${problems.join('\n  ')}\nNothing was written.`,
    );
  }
  return value as unknown as Overlay;
}

export function readOverlay(file: string): Overlay {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(
      `${file}: cannot read the overlay (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
    );
  }
  return parseOverlay(text, file);
}

/**
 * Applies the overlay's actions in order to a copy of `doc`. An action whose target matches nothing is an error
 * (Overlay 1.0 calls it a no-op, but for a store's extension it is always a typo or a spec that moved).
 */
export async function applyOverlay(
  doc: unknown,
  overlay: Overlay,
  file: string,
): Promise<{ doc: Record<string, unknown>; applied: AppliedAction[] }> {
  let current = structuredClone(doc);
  const applied: AppliedAction[] = [];
  for (const [index, action] of overlay.actions.entries()) {
    const working = structuredClone(current);
    // openapi-format reports a bad JSONPath on console.error and then matches nothing: keep what it says for
    // our own message instead of letting it print out of context.
    const said: string[] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => said.push(args.map(String).join(' '));
    let result: Awaited<ReturnType<typeof openapiOverlay>>;
    try {
      result = await openapiOverlay(working, { overlaySet: { ...overlay, actions: [action] } });
    } finally {
      console.error = consoleError;
    }
    if (result.resultData.unusedActions.length > 0) {
      const why = said.length > 0 ? `: ${said.join('; ')}` : ': it matches nothing in the spec';
      throw new CliError(
        `${file}: ${describeAction(index, action)} was not applied${why}.\n` +
          "Check the JSONPath against the bundled spec (e.g. $.paths['/products/{id}'] or " +
          '$.components.schemas.Product.properties); nothing was written.',
      );
    }
    const next = result.data as Record<string, unknown>;
    applied.push({ index, action, changed: changedPointers(current, next) });
    current = next;
  }
  return { doc: current as Record<string, unknown>, applied };
}
