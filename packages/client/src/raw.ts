/**
 * The openapi-fetch client behind `woo.raw` and behind calls that go through middleware. A chunk of its own, loaded on
 * first use: a client without middleware that never touches `raw` does not download openapi-fetch's runtime.
 */
import createClient, { createQuerySerializer, type HeadersOptions, type Middleware } from 'openapi-fetch';

export function createRaw(
  baseUrl: string,
  headers: HeadersOptions | undefined,
  fetch: (request: Request) => Promise<Response>,
  middleware: Middleware[],
) {
  const raw = createClient({
    baseUrl,
    fetch,
    headers,
    // WordPress parses a comma-separated list for array arguments (`include=1,2,3`): `style: form, explode: false`.
    querySerializer: createQuerySerializer({ array: { style: 'form', explode: false } }),
  });
  if (middleware.length) raw.use(...middleware);
  return raw;
}
