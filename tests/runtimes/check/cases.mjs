// The cases of the runtime check, free of any runtime's own API (web platform only: fetch, Request, TextEncoder), so
// that the same cases run under Node, Bun and Deno (check.mjs) and inside a workerd worker (workerd/client-worker.mjs).
// Each case returns an outcome, a small plain object; its expected outcome is written next to it from the store's
// rules (fixtures.mjs) and compared by the caller (node:assert in check.mjs, or the Node driver for workerd). Under
// each runtime the outcomes are also compared with Node's.
import {
  BAD_SIGNATURE,
  BOMB_BYTES,
  CAP,
  DECLARED_BYTES,
  GZIPPED,
  ID,
  KEY,
  LIST_TOTAL,
  NOT_FOUND,
  OAUTH_CASES,
  OAUTH_NONCE,
  OAUTH_TIMESTAMP,
  PER_PAGE,
  PRODUCT,
  SECRET,
  TIMEOUT_MS,
  TIMEOUT_SLACK_MS,
} from './fixtures.mjs';

/** The error classes, most specific first: an error's outcome names the first it is an instance of. */
const CLASSES = [
  'WooTimeoutError',
  'WooAbortError',
  'WooRedirectError',
  'WooResponseTooLargeError',
  'WooInvalidResponseError',
  'WooNetworkError',
  'WooPagingError',
  'WooConfigError',
  'WooApiError',
  'WooCommerceError',
];

/** What a failed call comes to: its class, code and status, and whether any rendering of it holds a credential. */
function failure(client, e, extra = {}) {
  const name = CLASSES.find((c) => e instanceof client[c]) ?? `not a WooCommerceError: ${String(e)}`;
  const renderings = [String(e), e?.message, e?.stack, JSON.stringify(e), JSON.stringify(e?.data)].join('\n');
  const basic = btoa(`${KEY}:${SECRET}`);
  return {
    error: name,
    code: e?.code,
    status: e?.status,
    credentialFree: ![KEY, SECRET, basic, encodeURIComponent(basic)].some((s) => renderings.includes(s)),
    ...extra,
  };
}

async function outcomeOf(client, call, extra) {
  try {
    const r = await call();
    return { data: r.data };
  } catch (e) {
    return failure(client, e, extra?.(e));
  }
}

/**
 * The client against the loopback store at `url` (`otherUrl` is another origin). `runtime` is 'node', 'bun',
 * 'deno' or 'workerd': only `transport` differs by runtime (Node's direct path, fetch elsewhere).
 */
export function clientCases({ client, url, otherUrl, refusedUrl, runtime }) {
  const { createWooClient, listAll, pages } = client;
  const basic = (o = {}) =>
    createWooClient({
      url,
      consumerKey: KEY,
      consumerSecret: SECRET,
      auth: 'basic',
      allowInsecureLoopback: true,
      retry: false,
      ...o,
    });
  // `auto` over http:// is OAuth 1.0a, HMAC-SHA256, in the query.
  const oauth = (o = {}) =>
    createWooClient({ url, consumerKey: KEY, consumerSecret: SECRET, retry: false, ...o });
  const product = (woo, id, init) => woo.GET('/products/{id}', { params: { path: { id } }, ...init });
  const tooLarge = (why) => (e) => ({ why: why.test(e.message) });
  /** A call that must end in the client's timeout, and end in time (not early, not long after). */
  const timedOut = (id) => {
    const started = Date.now();
    return outcomeOf(
      client,
      () => product(basic({ timeout: TIMEOUT_MS }), id),
      () => {
        const took = Date.now() - started;
        return { inTime: took >= TIMEOUT_MS - 5 && took < TIMEOUT_MS + TIMEOUT_SLACK_MS };
      },
    );
  };
  const typed = (error, code, status, extra = {}) => ({
    error,
    code,
    status,
    credentialFree: true,
    ...extra,
  });

  return [
    {
      name: 'GET with Basic (allowInsecureLoopback)',
      expect: { data: PRODUCT, auth: 'basic' },
      run: async () => {
        const r = await product(basic(), ID.ok);
        return { data: r.data, auth: r.response.headers.get('x-auth') };
      },
    },
    {
      // Under Node the client skips fetch() (its direct path to undici's dispatcher), which gives a Response without
      // a body; under Bun and Deno (no undici of Node's) and workerd it must go through fetch, whose Response had one.
      // The `node` condition of `#hmac` (Node, Bun, Deno) signs with node:crypto, whose nonces are hex; elsewhere
      // WebCrypto, whose nonces are alphanumeric.
      name: 'transport and HMAC: the direct path only under Node, node:crypto where the `node` condition holds',
      perRuntime: true,
      expect: {
        transport: runtime === 'node' ? 'direct' : 'fetch',
        nonce: runtime === 'workerd' ? 'alphanumeric' : 'hex',
      },
      run: async () => {
        const r = await product(oauth(), ID.ok);
        return {
          transport: r.response.body === null ? 'direct' : 'fetch',
          nonce: r.response.headers.get('x-nonce'),
        };
      },
    },
    {
      name: 'GET with OAuth 1.0a HMAC-SHA256 in the query, verified by the store',
      expect: { data: PRODUCT, auth: 'oauth1 HMAC-SHA256 query' },
      run: async () => {
        const r = await product(oauth(), ID.ok);
        return { data: r.data, auth: r.response.headers.get('x-auth') };
      },
    },
    {
      name: 'GET with OAuth 1.0a HMAC-SHA1 in the Authorization header, a query with a list, spaces, non-ASCII',
      expect: { ids: [1, 2, 3], auth: 'oauth1 HMAC-SHA1 header' },
      run: async () => {
        const woo = oauth({ auth: 'oauth1', oauth: { signatureMethod: 'HMAC-SHA1', placement: 'header' } });
        const r = await woo.GET('/products', {
          params: { query: { include: [1, 2, 3], search: "blue shirt caf\u00e9 ~*'", per_page: 3 } },
        });
        return { ids: r.data.map((p) => p.id), auth: r.response.headers.get('x-auth') };
      },
    },
    {
      name: 'OAuth with a wrong secret: the store refuses the signature (WooApiError 401)',
      expect: typed('WooApiError', BAD_SIGNATURE.code, 401),
      run: () =>
        outcomeOf(client, () =>
          product(
            createWooClient({ url, consumerKey: KEY, consumerSecret: `${SECRET}x`, retry: false }),
            ID.ok,
          ),
        ),
    },
    {
      name: `paging: listAll and pages() over ${Math.ceil(LIST_TOTAL / PER_PAGE)} pages (OAuth, each page signed)`,
      expect: {
        ids: Array.from({ length: LIST_TOTAL }, (_, i) => i + 1),
        pages: Array.from({ length: Math.ceil(LIST_TOTAL / PER_PAGE) }, (_, i) => ({
          page: i + 1,
          totalPages: Math.ceil(LIST_TOTAL / PER_PAGE),
          total: LIST_TOTAL,
          items: Math.min(PER_PAGE, LIST_TOTAL - i * PER_PAGE),
        })),
      },
      run: async () => {
        const woo = oauth();
        const init = { params: { query: { per_page: PER_PAGE } } };
        const all = await listAll(woo, '/products', init, { concurrency: 2 });
        const seen = [];
        for await (const p of pages(woo, '/products', init))
          seen.push({ page: p.page, totalPages: p.totalPages, total: p.total, items: p.items.length });
        return { ids: all.map((p) => p.id), pages: seen };
      },
    },
    {
      name: "a 404 JSON error: WooApiError with WooCommerce's code",
      expect: typed('WooApiError', NOT_FOUND.code, 404, { message: true }),
      run: () =>
        outcomeOf(
          client,
          () => product(basic(), ID.missing),
          (e) => ({ message: e.message.startsWith(NOT_FOUND.message) }),
        ),
    },
    {
      name: 'an HTML error page: WooInvalidResponseError',
      expect: typed('WooInvalidResponseError', 'wooapi_invalid_response', 500, { why: true }),
      run: () =>
        outcomeOf(
          client,
          () => product(basic(), ID.html),
          (e) => ({ why: /HTML page/.test(e.message) }),
        ),
    },
    {
      name: `maxResponseBytes: a declared Content-Length of ${DECLARED_BYTES} over a cap of ${CAP}`,
      expect: typed('WooResponseTooLargeError', 'wooapi_response_too_large', 200, { why: true }),
      run: () =>
        outcomeOf(
          client,
          () => product(basic({ maxResponseBytes: CAP }), ID.declared),
          tooLarge(new RegExp(`store declares ${DECLARED_BYTES}`)),
        ),
    },
    {
      name: `maxResponseBytes: a chunked body that grows past a cap of ${CAP}`,
      expect: typed('WooResponseTooLargeError', 'wooapi_response_too_large', 200, { why: true }),
      run: () =>
        outcomeOf(
          client,
          () => product(basic({ maxResponseBytes: CAP }), ID.chunked),
          tooLarge(new RegExp(`more than ${CAP} bytes arrived`)),
        ),
    },
    {
      name: 'a gzip body is decoded',
      expect: { data: GZIPPED },
      run: () => outcomeOf(client, () => product(basic(), ID.gzip)),
    },
    {
      name: `maxResponseBytes: a gzip body that inflates to ${BOMB_BYTES} bytes, over a cap of ${CAP}`,
      expect: typed('WooResponseTooLargeError', 'wooapi_response_too_large', 200, { why: true }),
      run: () =>
        outcomeOf(
          client,
          () => product(basic({ maxResponseBytes: CAP }), ID.gzipBomb),
          tooLarge(new RegExp(`more than ${CAP} bytes arrived`)),
        ),
    },
    {
      name: `a store that never answers: WooTimeoutError after the ${TIMEOUT_MS} ms timeout`,
      expect: typed('WooTimeoutError', 'wooapi_timeout', 0, { inTime: true }),
      run: () => timedOut(ID.stall),
    },
    {
      name: 'a redirect to another origin is refused: WooRedirectError, the other origin never reached',
      expect: typed('WooRedirectError', 'wooapi_redirect', 302, { otherHits: 0 }),
      run: async () => {
        const o = await outcomeOf(client, () => product(basic(), ID.away));
        const { hits } = await (await fetch(`${otherUrl}/__hits`)).json();
        return { ...o, otherHits: hits };
      },
    },
    {
      name: 'a same-origin redirect of a GET is followed and signed again (OAuth)',
      expect: { data: PRODUCT, auth: 'oauth1 HMAC-SHA256 query' },
      run: async () => {
        const r = await product(oauth(), ID.same);
        return { data: r.data, auth: r.response.headers.get('x-auth') };
      },
    },
    {
      name: 'GET with the keys in the query (auth: query, allowInsecureLoopback)',
      expect: { data: PRODUCT, auth: 'query' },
      run: async () => {
        const r = await product(basic({ auth: 'query' }), ID.ok);
        return { data: r.data, auth: r.response.headers.get('x-auth') };
      },
    },
    {
      name: 'POST with a JSON body (OAuth)',
      expect: {
        data: { created: { name: 'Hoodie', regular_price: '45.00' }, type: 'application/json' },
        auth: 'oauth1 HMAC-SHA256 query',
      },
      run: async () => {
        const r = await oauth().POST('/products', { body: { name: 'Hoodie', regular_price: '45.00' } });
        return { data: r.data, auth: r.response.headers.get('x-auth') };
      },
    },
    {
      name: 'woo.raw (openapi-fetch, loaded on first use) over the same transport',
      expect: { data: PRODUCT, error: null, status: 200 },
      run: async () => {
        const r = await oauth().raw.GET('/products/{id}', { params: { path: { id: ID.ok } } });
        return { data: r.data, error: r.error ?? null, status: r.response.status };
      },
    },
    {
      name: 'retry: a 503 with Retry-After: 0, then the product (OAuth, a fresh nonce per attempt)',
      expect: { data: PRODUCT, retries: [{ attempt: 2, status: 503, delayMs: 0 }] },
      run: async () => {
        const retries = [];
        const woo = oauth({
          retry: {
            maxAttempts: 2,
            onRetry: (i) => retries.push({ attempt: i.attempt, status: i.status, delayMs: i.delayMs }),
          },
        });
        const r = await product(woo, ID.flaky);
        return { data: r.data, retries };
      },
    },
    {
      name: `a body that stops arriving: WooTimeoutError after the ${TIMEOUT_MS} ms timeout`,
      expect: typed('WooTimeoutError', 'wooapi_timeout', 0, { inTime: true }),
      run: () => timedOut(ID.stallBody),
    },
    {
      name: "the caller's AbortSignal, aborted while the store stalls: WooAbortError",
      expect: typed('WooAbortError', 'wooapi_aborted', 0),
      run: () => {
        const ctl = new AbortController();
        setTimeout(() => ctl.abort(), 100);
        return outcomeOf(client, () => product(basic(), ID.stall, { signal: ctl.signal }));
      },
    },
    {
      name: 'a body cut short (half its Content-Length, then the connection dropped): WooNetworkError',
      expect: typed('WooNetworkError', 'wooapi_network_error', 0),
      run: () => outcomeOf(client, () => product(basic(), ID.truncated)),
    },
    {
      // What the client explains for ECONNREFUSED, whatever words the runtime's fetch used (Deno's have no code).
      // workerd reports a refused connection as "Network connection lost." (no cause, no code): nothing to explain.
      name: 'connection refused (Basic, and keys in the query): WooNetworkError that explains it, no credential in it',
      perRuntime: true,
      expect: {
        basic: typed('WooNetworkError', 'wooapi_network_error', 0, { says: runtime !== 'workerd' }),
        query: typed('WooNetworkError', 'wooapi_network_error', 0, { says: runtime !== 'workerd' }),
      },
      run: async () => {
        const says = (e) => ({
          says: e.message.includes(
            '(ECONNREFUSED: connection refused: nothing listens there; check the url and port)',
          ),
        });
        const at = (auth) => () =>
          product(
            createWooClient({
              url: refusedUrl,
              consumerKey: KEY,
              consumerSecret: SECRET,
              auth,
              allowInsecureLoopback: true,
              retry: false,
            }),
            ID.ok,
          );
        return {
          basic: await outcomeOf(client, at('basic'), says),
          query: await outcomeOf(client, at('query'), says),
        };
      },
    },
  ];
}

/**
 * The signer of `@wooapi/client/oauth` on the OAuth cases of the client's tests (both methods) and on the requests a
 * real WooCommerce 11.0.1 store accepted (`examples`: oauth-examples.json, or [] without ../shared). The outcome is
 * the signatures and the recorded requests' wire form; check.mjs expects the `oauth-1.0a` package's signatures and
 * the recorded ones.
 */
export async function oauthVectors(oauth, examples) {
  const signatures = [];
  for (const method of ['HMAC-SHA256', 'HMAC-SHA1'])
    for (const [httpMethod, u] of OAUTH_CASES) {
      const s = await oauth
        .createOAuthSigner(KEY, SECRET, method)
        .sign(httpMethod, u, { nonce: OAUTH_NONCE, timestamp: OAUTH_TIMESTAMP });
      signatures.push(s.oauth_signature);
    }
  const recorded = [];
  for (const e of examples) {
    const p = e.oauth_params;
    // The URL the store signed: the request's without its oauth_* parameters (port 8081 of the recording is served
    // as https, see recorded-11.0.1/README.md).
    const bare = e.url.replace(/[?&]oauth_[a-z_]+=[^&]*/g, '').replace(/^([^?]*)&/, '$1?');
    const signedUrl = new URL(bare).port === '8081' ? bare.replace(/^http:/, 'https:') : bare;
    const ours = await oauth
      .createOAuthSigner(e.consumer_key, e.consumer_secret, p.oauth_signature_method)
      .sign(e.method, signedUrl, { nonce: p.oauth_nonce, timestamp: p.oauth_timestamp });
    recorded.push({
      name: e.name,
      signature: ours.oauth_signature,
      wire: e.authorization_header ? oauth.authorizationHeader(ours) : oauth.appendQuery(bare, ours),
    });
  }
  return { signatures, recorded };
}

/** Deep equality of JSON values, key order ignored. */
export function same(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && same(a[k], b[k]));
}

/** Headers of a recorded delivery that a Request may carry (the connection's own are the runtime's business). */
export const requestHeaders = (headers) =>
  Object.fromEntries(
    Object.entries(headers).filter(
      ([k]) => !['host', 'connection', 'content-length', 'accept-encoding', 'transfer-encoding'].includes(k),
    ),
  );

/** The body with one byte changed: the signature no longer matches. */
export function forge(body) {
  const b = new Uint8Array(body);
  const i = Math.floor(b.length / 2);
  b[i] = b[i] === 0x31 ? 0x32 : 0x31;
  return b;
}

/**
 * `@wooapi/webhooks` on deliveries: `deliveries` are the recorded ones (webhooks.jsonl, bodies as bytes), or []
 * without ../shared. `parseWebhook` accepts each signed one as sent and answers each ping; each signed one with a
 * byte changed, or under another secret, is refused; the Fetch handler `(Request) => Response` answers each.
 */
export function webhookCases({ webhooks, deliveries }) {
  const { parseWebhook, createWebhookHandler, WebhookError } = webhooks;
  const signed = deliveries.filter((d) => !d.is_ping);
  const pings = deliveries.filter((d) => d.is_ping);
  const refusal = (e) => (e instanceof WebhookError ? e.code : `not a WebhookError: ${String(e)}`);
  const handlers = new Map();
  const handlerFor = (secret) => {
    let h = handlers.get(secret);
    if (!h) {
      h = createWebhookHandler({ secret, fallback: () => {} });
      handlers.set(secret, h);
    }
    return h;
  };
  const post = (d, body = d.body) =>
    new Request('http://127.0.0.1/hook', { method: 'POST', headers: requestHeaders(d.headers), body });
  const answer = async (r) => ({ status: r.status, body: await r.json() });
  const tally = (list) => {
    const out = {};
    for (const x of list) {
      const k = JSON.stringify(x);
      out[k] = (out[k] ?? 0) + 1;
    }
    return out;
  };

  return [
    {
      name: `parseWebhook accepts every recorded signed delivery as sent (${signed.length})`,
      expect: { accepted: signed.length, wrong: [] },
      run: async () => {
        const wrong = [];
        for (const d of signed) {
          try {
            const ev = await parseWebhook({ headers: d.headers, rawBody: d.body }, { secret: d.secret });
            if (
              ev.kind !== 'event' ||
              ev.topic !== d.topic ||
              ev.webhookId !== d.webhook_id ||
              !same(ev.payload, d.parsed_body)
            )
              wrong.push(`#${d.n}: ${ev.kind} ${ev.topic}`);
          } catch (e) {
            wrong.push(`#${d.n}: ${refusal(e)}`);
          }
        }
        return { accepted: signed.length - wrong.length, wrong };
      },
    },
    {
      name: `parseWebhook answers every recorded ping (${pings.length})`,
      expect: { pings: pings.map((d) => ({ kind: 'ping', webhookId: d.webhook_id })) },
      run: async () => ({
        pings: await Promise.all(
          pings.map((d) => parseWebhook({ headers: d.headers, rawBody: d.body }, { secret: 'any' })),
        ),
      }),
    },
    {
      name: 'parseWebhook refuses each signed delivery forged (a byte changed) or under another secret',
      expect: { refused: { invalid_signature: 2 * signed.length } },
      run: async () => {
        const codes = [];
        for (const d of signed) {
          for (const [rawBody, secret] of [
            [forge(d.body), d.secret],
            [d.body, `${d.secret}-not`],
          ]) {
            try {
              await parseWebhook({ headers: d.headers, rawBody }, { secret });
              codes.push('accepted');
            } catch (e) {
              codes.push(refusal(e));
            }
          }
        }
        const refused = {};
        for (const c of codes) refused[c] = (refused[c] ?? 0) + 1;
        return { refused };
      },
    },
    {
      name: 'createWebhookHandler: (Request) => Response for each recorded delivery, a forged one and a GET',
      expect: {
        answers: tally([
          ...signed.map(() => ({ status: 200, body: { ok: true, kind: 'event', handled: true } })),
          ...pings.map(() => ({ status: 200, body: { ok: true, kind: 'ping', handled: false } })),
          ...signed.map(() => ({ status: 401, error: 'invalid_signature' })),
        ]),
        get: { status: 405, error: 'method_not_allowed' },
      },
      run: async () => {
        const answers = [];
        for (const d of deliveries) answers.push(await answer(await handlerFor(d.secret ?? 'any')(post(d))));
        for (const d of signed) {
          const a = await answer(await handlerFor(d.secret)(post(d, forge(d.body))));
          answers.push({ status: a.status, error: a.body.error });
        }
        const g = await answer(await handlerFor('any')(new Request('http://127.0.0.1/hook')));
        return { answers: tally(answers), get: { status: g.status, error: g.body.error } };
      },
    },
  ];
}
