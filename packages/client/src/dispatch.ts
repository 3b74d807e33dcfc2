/**
 * `#dispatch` outside Node (browsers, edge runtimes; Node loads dispatch.node.ts, the `node` condition in
 * package.json): no undici to hook, so every attempt with a timeout takes an AbortController (see deadline.ts).
 */
import type { Deadline } from './deadline.js';

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
