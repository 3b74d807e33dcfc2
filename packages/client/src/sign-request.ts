/**
 * `Authenticator.sign`, for openapi-fetch middleware (`authMiddleware`): the client's own calls authenticate through
 * `signUrl` and never load this chunk.
 */
import type { Authenticator } from './auth.js';

/** Authenticate a request; signing again replaces an earlier signature (used for retries). */
export async function signRequest(auth: Authenticator, request: Request): Promise<Request> {
  const signed = await auth.signUrl(request.method, request.url);
  // Basic (a constant header): set in place on openapi-fetch's mutable Request, no copy.
  const next = signed.url === request.url ? request : await withUrl(request, signed.url);
  if (signed.authorization) next.headers.set('Authorization', signed.authorization);
  return next;
}

/** A copy of `request` at another URL; the body is buffered so this works where streaming bodies do not. */
async function withUrl(request: Request, url: string): Promise<Request> {
  const next = new Request(url, {
    method: request.method,
    headers: request.headers,
    body: request.body && (await request.arrayBuffer()),
    signal: request.signal,
    redirect: request.redirect,
  });
  // openapi-fetch carries per-request options as own properties of the Request; keep them.
  for (const k of ['retry', 'timeout', '_woo']) {
    if (k in request && !(k in next))
      (next as unknown as Record<string, unknown>)[k] = (request as unknown as Record<string, unknown>)[k];
  }
  return next;
}
