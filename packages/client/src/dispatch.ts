/**
 * `#dispatch` outside Node (browsers, edge runtimes; Node loads dispatch.node.ts, the `node` condition in
 * package.json): no undici to hook, so every attempt with a timeout takes an AbortController (see deadline.ts).
 */
import type { Deadline } from './deadline.js';

/**
 * Start watching an attempt that must end within `ms` (the contract of deadline.ts): here one timer per attempt. The
 * shared timer of deadline.ts pays where an attempt carries no AbortSignal (Node's fetch and its dispatcher); here
 * every attempt with a timeout has its AbortController anyway, and a browser build is smaller without it.
 */
export function deadline(ms: number, reason: (ctx: unknown) => unknown, ctx: unknown): Deadline {
  const d: Deadline = {
    at: Date.now() + ms,
    expired: undefined,
    abort: undefined,
    reject: undefined,
    hooked: false,
    reason,
    ctx,
  };
  d.timer = setTimeout(() => {
    const e = reason(ctx);
    d.expired = e;
    d.abort?.(e);
    d.reject?.(e);
  }, ms);
  return d;
}

/** The attempt ended: its timer is cleared. */
export const settle = (d: Deadline | undefined): void => clearTimeout(d?.timer);

/**
 * False: no dispatcher path at all. A constant, so that a bundler drops that path (and `guard`) from a browser build.
 */
export const DISPATCH: boolean = false;

/** Not called without a dispatcher. */
export const guard = <T>(_d: Deadline, p: Promise<T>): Promise<T> => p;

/** No dispatcher: the attempt takes an AbortController. */
export const dispatchArm = (
  _d: Deadline,
  _init: RequestInit,
  _user: AbortSignal | undefined,
): { d: Deadline; dispatched: boolean; stop: () => void } | undefined => undefined;

/** Never called without a dispatcher; kept for the shape of the Node side. */
export const fetchWith = (_d: Deadline, url: string, init: RequestInit): Promise<Response> =>
  fetch(url, init);

export const checkHonoured = (_d: Deadline): void => {};
