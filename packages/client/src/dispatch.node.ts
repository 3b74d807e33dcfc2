/**
 * The Node side of `#dispatch` (see dispatch.ts and deadline.ts): a per-attempt hook into Node's own fetch (undici)
 * that keeps the request's `abort`, so a deadline needs no AbortSignal.
 */
import { type Deadline, type NodeDispatch, settle } from './deadline.js';

// Under Node, the shared timer of deadline.ts (no AbortSignal per attempt, see there).
export { deadline, settle } from './deadline.js';

interface UndiciDispatcher {
  dispatch(options: unknown, handler: Record<string, unknown>): boolean;
}
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');
/** False once a `globalThis.fetch` showed it ignores `dispatcher` (a mock, a polyfill): AbortSignals from then on. */
let honoured = true;

/** The attempt whose `fetch()` call is on the stack: Node's fetch calls `dispatch` synchronously from `fetch()`. */
let current: Deadline | undefined;

function hook(d: Deadline, handler: Record<string, unknown>) {
  const keep = (abort: (reason: unknown) => void) => {
    d.hooked = true;
    d.abort = abort;
    if (d.expired) abort(d.expired);
  };
  const { onConnect, onRequestStart } = handler as Record<string, (...a: unknown[]) => unknown>;
  if (typeof onConnect === 'function') {
    handler.onConnect = function (this: unknown, abort: (reason: unknown) => void, context: unknown) {
      keep(abort);
      return onConnect.call(this, abort, context);
    };
  } else if (typeof onRequestStart === 'function') {
    // undici's newer handler interface: the controller aborts.
    handler.onRequestStart = function (
      this: unknown,
      controller: { abort(r: unknown): void },
      context: unknown,
    ) {
      keep((r) => controller.abort(r));
      return onRequestStart.call(this, controller, context);
    };
  }
}

/** One dispatcher for every attempt: hooks the attempt being sent, then hands the request to the global one. */
const dispatcher = {
  dispatch(options: unknown, handler: Record<string, unknown>): boolean {
    const d = current;
    current = undefined;
    // Called outside `fetch()` (another undici that dispatches later): nothing to hook; the attempt then finds
    // `hooked` false and the client falls back to AbortSignals.
    if (d) hook(d, handler);
    return ((globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER] as UndiciDispatcher).dispatch(
      options,
      handler,
    );
  },
};

/** The dispatcher to pass to Node's own fetch, or `undefined` where there is none to wrap (not Node, or no native
 * fetch has run yet: the first request creates the global dispatcher). */
function dispatcherFor(): typeof dispatcher | undefined {
  const global = honoured
    ? ((globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER] as UndiciDispatcher | undefined)
    : undefined;
  return global && typeof global.dispatch === 'function' ? dispatcher : undefined;
}

/**
 * Arm attempt `d` for Node's own fetch: the dispatcher in `init` (the caller's signal as is), or undefined when
 * there is none to wrap (the attempt then takes an AbortController).
 */
export function dispatchArm(
  d: Deadline,
  init: RequestInit & { dispatcher?: unknown },
  user: AbortSignal | undefined,
): { d: Deadline; dispatched: boolean; stop: () => void } | undefined {
  const dispatcher = dispatcherFor();
  if (!dispatcher) return undefined;
  init.dispatcher = dispatcher;
  if (user) init.signal = user;
  return { d, dispatched: true, stop: () => settle(d) };
}

/** Call `fetch` for attempt `d` (its dispatcher in `init`): marks the attempt for the synchronous `dispatch`. */
export function fetchWith(d: Deadline, url: string, init: RequestInit): Promise<Response> {
  current = d;
  try {
    return fetch(url, init);
  } finally {
    current = undefined;
  }
}

/** Wait for `p`, or reject with the deadline's error as soon as it passes (an answer arriving later is dropped). */
export function guard<T>(d: Deadline, p: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    d.reject = reject;
    p.then((v) => {
      if (d.expired && v instanceof Response) v.body?.cancel().catch(() => {});
      resolve(v);
    }, reject);
  });
}

/** After the headers: a fetch that never called the dispatcher ignores it; stop passing one. */
export const checkHonoured = (d: Deadline): void => {
  if (!d.hooked) honoured = false;
};

/** The Node-only path of an attempt, for transport.ts (none on the other side of `#dispatch`). */
export const node: NodeDispatch | null = { arm: dispatchArm, fetchWith, guard, checkHonoured };
