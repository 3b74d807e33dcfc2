/**
 * `#dispatch` outside Node (browsers, edge runtimes; Node loads dispatch.node.ts, the `node` condition in
 * package.json): no undici to hook, so every attempt with a timeout takes an AbortController (see deadline.ts).
 */
import type { Deadline, NodeDispatch } from './deadline.js';

/**
 * No Node-only path: a constant `null` that bundlers inline, so every use of `node` in transport.ts (the dispatcher
 * arm, `guard`), always behind `node &&`, is folded away and a browser build carries none of it. (esbuild inlines a
 * constant declared before the module's functions, not one after.)
 */
export const node: NodeDispatch | null = null;

/**
 * Start watching an attempt that must end within `ms` (the contract of deadline.ts): here one timer per attempt. The
 * shared timer of deadline.ts pays where an attempt carries no AbortSignal (Node's fetch and its dispatcher); here
 * every attempt with a timeout has its AbortController anyway, and a browser build is smaller without it. The literal
 * and the expiry repeat deadline.ts's on purpose: importing them from there carried its shared timer into browser
 * builds (+132 B gzip, measured).
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
