/**
 * The openapi-fetch client behind `woo.raw` and behind calls that go through middleware, and its fetch (the client's
 * own transport). A chunk of its own, loaded on first use: a client without middleware that never touches `raw` does
 * not download openapi-fetch's runtime, nor this adapter. What it needs from the entry is passed in, not imported, so
 * that the entry stays one chunk.
 */
import createClient, { createQuerySerializer, type HeadersOptions, type Middleware } from 'openapi-fetch';
import type { mergeInto } from './client.js';
import type { PerRequestOptions, ResolvedRetry, RetryOptions } from './retry.js';
import type { Call, send, Transport } from './transport.js';

/** @internal The client's parts the adapter uses. */
export interface RawEnv {
  t: Transport;
  send: typeof send;
  mergeInto: typeof mergeInto;
  timeout: number;
  retryOf: (r: RetryOptions | false | undefined) => ResolvedRetry | null;
}

const NULL_BODY = new Set([101, 204, 205, 304]);

/** @internal A client call through openapi-fetch (middleware, or an init the direct path does not handle). */
export function request(
  raw: { request: (...a: never[]) => Promise<{ data?: unknown; error?: unknown; response: Response }> },
  method: string,
  schemaPath: string,
  init: Record<string, unknown>,
  arm: Pick<Call, 'signal' | 'timeoutMs' | 'retry' | 'path'>,
) {
  const { signal: _s, retry: _r, timeout: _t, ...rest } = init;
  const parseAs = init.parseAs === 'json' ? undefined : init.parseAs;
  return raw.request(
    method.toLowerCase() as never,
    schemaPath as never,
    { ...rest, parseAs: parseAs ?? 'text', _woo: arm } as never,
  );
}

/**
 * @internal openapi-fetch's `fetch` over the client's transport: for `raw`, for calls that go through middleware, and
 * for the legacy client. A call's own `timeout` and `retry` (own properties of the Request) apply.
 */
export function transportFetch(
  baseUrl: string,
  { t, send, mergeInto, timeout, retryOf }: RawEnv,
): (request: Request) => Promise<Response> {
  const header = t.auth.header;
  return async (request) => {
    const arm = (request as { _woo?: Pick<Call, 'signal' | 'timeoutMs' | 'retry' | 'path'> })._woo;
    const props = request as unknown as PerRequestOptions;
    const sent = mergeInto({}, request.headers);
    if (header && !sent.authorization) sent.authorization = header;
    const url = request.url;
    const { response, body } = await send(
      t,
      {
        method: request.method,
        path: arm?.path ?? url.split('?', 1)[0]!.slice(baseUrl.length),
        url,
        headers: sent,
        body: request.body ? new Uint8Array(await request.arrayBuffer()) : undefined,
        signal: arm ? arm.signal : request.signal,
        timeoutMs: arm?.timeoutMs ?? props.timeout ?? timeout,
        retry: arm ? arm.retry : retryOf(props.retry),
      },
      'bytes',
    );
    const { status, statusText } = response;
    return new Response(NULL_BODY.has(status) ? null : (body as BodyInit), {
      status,
      statusText,
      headers: response.headers,
    });
  };
}

export function createRaw(
  baseUrl: string,
  headers: HeadersOptions | undefined,
  middleware: Middleware[],
  env: RawEnv,
) {
  const raw = createClient({
    baseUrl,
    fetch: transportFetch(baseUrl, env),
    headers,
    // WordPress parses a comma-separated list for array arguments (`include=1,2,3`): `style: form, explode: false`.
    querySerializer: createQuerySerializer({ array: { style: 'form', explode: false } }),
  });
  if (middleware.length) raw.use(...middleware);
  return raw;
}
