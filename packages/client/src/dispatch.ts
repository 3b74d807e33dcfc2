/**
 * `#dispatch` outside Node (browsers, edge runtimes; Node loads dispatch.node.ts, the `node` condition in
 * package.json): no undici to hook, so every attempt with a timeout takes an AbortController (see deadline.ts).
 */
import type { Deadline } from './deadline.js';

/** No dispatcher to pass: the attempt takes an AbortSignal. */
export const dispatcherFor = ():
  | { dispatch(options: unknown, handler: Record<string, unknown>): boolean }
  | undefined => undefined;

/** Never called without a dispatcher; kept for the shape of the Node side. */
export const fetchWith = (_d: Deadline, url: string, init: RequestInit): Promise<Response> =>
  fetch(url, init);

export const checkHonoured = (_d: Deadline): void => {};
