/**
 * Per-attempt deadlines at the cost of a `Set` entry: one shared timer for every pending attempt of every client
 * (armed for the earliest deadline, re-armed when it fires), and, under Node, no `AbortSignal` per request.
 *
 * An `AbortSignal` passed to Node's fetch costs each request ~7% of a zero-latency loopback call (undici links it to
 * its own controller: a listener, a `WeakRef`, a finalization registry entry), whoever creates it. Under Node the
 * attempt instead carries a per-attempt undici dispatcher that hands the request to the global one
 * (`Symbol.for('undici.globalDispatcher.1')`, so a proxy agent set with undici's `setGlobalDispatcher` still
 * applies) and keeps the `abort` that undici gives every request: the deadline aborts the socket through it, before
 * or after the headers. Elsewhere (browsers, Deno, Bun, a custom `fetch`), or when a patched `globalThis.fetch`
 * ignores the dispatcher, the attempt takes an `AbortController` as before. See docs/decisions/client-transport.md.
 * The dispatcher is the `#dispatch` import: `dispatch.node.ts` under Node, `dispatch.ts` (none) elsewhere, so a
 * browser bundle carries none of it.
 */

/** One attempt's deadline. */
export interface Deadline {
  at: number;
  /** Set when the deadline passed: the error to throw. */
  expired: unknown;
  /** Aborts the attempt's request (the dispatcher's abort, or the attempt's AbortController). */
  abort: ((reason: unknown) => void) | undefined;
  /** Rejects the caller's wait at once (see `guard`). */
  reject: ((reason: unknown) => void) | undefined;
  /** True once undici handed the request its abort (the dispatcher was used). */
  hooked: boolean;
  /** Builds the error of an expired attempt from `ctx` (one shared function, no closure per attempt). */
  reason: (ctx: unknown) => unknown;
  ctx: unknown;
  /** Outside Node: this attempt's own timer (see dispatch.ts). */
  timer?: ReturnType<typeof setTimeout>;
}

/** The Node-only path of an attempt (dispatch.node.ts): `node` of `#dispatch`, undefined elsewhere. */
export interface NodeDispatch {
  /** Arm attempt `d` with the dispatcher (in `init`), or undefined when there is none to wrap. */
  arm(
    d: Deadline,
    init: RequestInit & { dispatcher?: unknown },
    user: AbortSignal | undefined,
  ): { d: Deadline; dispatched: boolean; stop: () => void } | undefined;
  fetchWith(d: Deadline, url: string, init: RequestInit): Promise<Response>;
  /**
   * Send attempt `d` straight to Node's global dispatcher (no `fetch()`), its body read within `max` bytes; or
   * undefined when that cannot stand for Node's own fetch (then `fetchWith`). `shownUrl` is the response's `url`.
   */
  direct(
    d: Deadline | undefined,
    url: string,
    init: RequestInit,
    max: number,
    shownUrl: string | undefined,
  ): Promise<Response> | undefined;
  /** The body `direct` read for a response, as text or bytes (or why it refused it); undefined for any other. */
  held(response: Response, as: 'text' | 'bytes'): { body?: string | Uint8Array; over?: string } | undefined;
  guard<T>(d: Deadline, p: Promise<T>): Promise<T>;
  checkHonoured(d: Deadline): void;
}

const pending = new Set<Deadline>();
let timer: ReturnType<typeof setTimeout> | undefined;
let timerAt = Number.POSITIVE_INFINITY;

function arm(at: number) {
  if (timer !== undefined) clearTimeout(timer);
  timerAt = at;
  timer = setTimeout(tick, Math.max(0, at - Date.now()));
  // Never keep a process alive just for this timer (Node, Bun and Deno timers have unref; browsers have none).
  (timer as { unref?: () => void }).unref?.();
}

function tick() {
  timer = undefined;
  timerAt = Number.POSITIVE_INFINITY;
  const now = Date.now();
  let next = Number.POSITIVE_INFINITY;
  for (const d of pending) {
    if (d.at <= now) {
      pending.delete(d);
      const e = d.reason(d.ctx);
      d.expired = e;
      d.abort?.(e);
      d.reject?.(e);
    } else if (d.at < next) next = d.at;
  }
  if (next < timerAt) arm(next);
}

/** Start watching an attempt that must end within `ms`; `reason(ctx)` builds the error if it does not. */
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
  pending.add(d);
  if (d.at < timerAt) arm(d.at);
  return d;
}

/** The attempt ended (answered, failed or aborted): forget it. The shared timer stays armed; it is cheap. */
export const settle = (d: Deadline | undefined): void => {
  if (d) pending.delete(d);
};
