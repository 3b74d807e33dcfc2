// The loopback store the runtime check talks to: node:http on 127.0.0.1 (Node, Bun and Deno all serve it), a
// WooCommerce-like `wp-json/wc/v3` that checks Basic and OAuth 1.0a the way WC_REST_Authentication does, and a second
// server on another port (another origin) that counts what reaches it. Each product id answers in one way
// (fixtures.mjs `ID`): a good product, WooCommerce's 404, an HTML error page, bodies over the size cap, gzip, a
// store that never answers, redirects.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import {
  BAD_SIGNATURE,
  BOMB_BYTES,
  CHUNK,
  DECLARED_BYTES,
  GZIPPED,
  HTML_PAGE,
  ID,
  KEY,
  LIST_TOTAL,
  MAX_CHUNKS,
  NOT_FOUND,
  PRODUCT,
  SECRET,
} from './fixtures.mjs';

const PREFIX = '/wp-json/wc/v3';

/** RFC 3986 percent-encoding, as PHP's rawurlencode. */
const rawurlencode = (s) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * The signature WooCommerce recomputes (WC_REST_Authentication::check_oauth_signature), written here from that
 * algorithm with node:crypto, independently of the client: the decoded query parameters plus the header's oauth_*,
 * without oauth_signature, keys sorted byte-wise, `rawurlencode(key)%3Drawurlencode(value)` joined with `%26`, the
 * base `METHOD&rawurlencode(origin + path)&pairs`, the key `secret&`. Flat parameters only (what this store is
 * sent).
 */
export function wooSignature(method, url, params, secret) {
  const u = new URL(url);
  const pairs = Object.keys(params)
    .filter((k) => k !== 'oauth_signature')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => rawurlencode(`${rawurlencode(k)}=${rawurlencode(params[k])}`))
    .join('%26');
  const base = `${method}&${rawurlencode(`${u.protocol}//${u.host}${u.pathname}`)}&${pairs}`;
  const algo = params.oauth_signature_method === 'HMAC-SHA1' ? 'sha1' : 'sha256';
  return createHmac(algo, `${secret}&`).update(base).digest('base64');
}

/** `Authorization: OAuth k="v", ...` to its decoded parameters (the server urldecodes them). */
function oauthHeader(value) {
  const out = {};
  for (const m of value.slice(6).matchAll(/([a-z_]+)="([^"]*)"/g)) out[m[1]] = decodeURIComponent(m[2]);
  return out;
}

function send(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Start the store and the other origin on 127.0.0.1; `close()` ends every connection, a stalled one included. */
export async function startStore() {
  const nonces = new Set();
  /** How the last requests were authenticated, by path (for the cases' outcomes). */
  const sockets = new Set();
  let otherHits = 0;
  let flaky = 0;

  /** null when the request is authenticated as WooCommerce would accept it; else the refusal was sent. */
  function authenticate(req, res, url) {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Basic ')) {
      if (auth === `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`) return 'basic';
      send(res, 401, {
        code: 'woocommerce_rest_authentication_error',
        message: 'Consumer secret is invalid.',
        data: { status: 401 },
      });
      return null;
    }
    const query = Object.fromEntries(url.searchParams);
    if (query.consumer_key !== undefined) {
      if (query.consumer_key === KEY && query.consumer_secret === SECRET) return 'query';
      send(res, 401, {
        code: 'woocommerce_rest_authentication_error',
        message: 'Consumer secret is invalid.',
        data: { status: 401 },
      });
      return null;
    }
    const header = auth?.startsWith('OAuth ') ? oauthHeader(auth) : undefined;
    const params = header ? { ...query, ...header } : query;
    if (!params.oauth_signature) {
      send(res, 401, {
        code: 'woocommerce_rest_cannot_view',
        message: 'Sorry, you cannot list resources.',
        data: { status: 401 },
      });
      return null;
    }
    const fresh = Math.abs(Number(params.oauth_timestamp) * 1000 - Date.now()) < 15 * 60 * 1000;
    const nonce = `${params.oauth_consumer_key}:${params.oauth_nonce}`;
    const ok =
      params.oauth_consumer_key === KEY &&
      fresh &&
      !nonces.has(nonce) &&
      ['HMAC-SHA1', 'HMAC-SHA256'].includes(params.oauth_signature_method) &&
      params.oauth_signature === wooSignature(req.method, url.href, params, SECRET);
    if (!ok) {
      send(res, 401, BAD_SIGNATURE);
      return null;
    }
    nonces.add(nonce);
    // Which side of the client's `#hmac` made the nonce: node:crypto's are hex, WebCrypto's alphanumeric.
    res.setHeader('x-nonce', /^[0-9a-f]{32}$/.test(params.oauth_nonce) ? 'hex' : 'alphanumeric');
    return `oauth1 ${params.oauth_signature_method} ${header ? 'header' : 'query'}`;
  }

  function list(req, res, url, how) {
    const page = Number(url.searchParams.get('page') ?? '1');
    const perPage = Number(url.searchParams.get('per_page') ?? '10');
    const pages = Math.ceil(LIST_TOTAL / perPage);
    const items = [];
    for (let i = (page - 1) * perPage; i < Math.min(page * perPage, LIST_TOTAL); i++)
      items.push({ id: i + 1, name: `Product ${i + 1}` });
    // Link repeats the query as WordPress does; the client must not need it (X-WP-TotalPages drives paging).
    const at = (p) => {
      const q = new URLSearchParams([...url.searchParams].filter(([k]) => !k.startsWith('oauth_')));
      q.set('page', String(p));
      return `<http://${req.headers.host}${url.pathname}?${q}>`;
    };
    const links = [];
    if (page > 1) links.push(`${at(page - 1)}; rel="prev"`);
    if (page < pages) links.push(`${at(page + 1)}; rel="next"`);
    send(res, 200, items, {
      'x-wp-total': String(LIST_TOTAL),
      'x-wp-totalpages': String(pages),
      'x-auth': how,
      ...(links.length ? { link: links.join(', ') } : {}),
    });
  }

  async function chunked(res) {
    res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
    const chunk = `${'{"id":1,"name":"'.padEnd(CHUNK - 3, 'x')}"},`;
    res.write('[');
    // Until the client hangs up, and never more than MAX_CHUNKS chunks: a bounded loop.
    for (let i = 0; i < MAX_CHUNKS && !res.destroyed && !res.writableEnded; i++) {
      if (!res.write(chunk)) await new Promise((r) => setTimeout(r, 5));
      else await new Promise((r) => setImmediate(r));
    }
    if (!res.destroyed) res.end('{}]');
  }

  const store = createServer((req, res) => {
    const url = new URL(req.url, `http://${req.headers.host}`);
    if (!url.pathname.startsWith(`${PREFIX}/`))
      return send(res, 404, { code: 'rest_no_route', data: { status: 404 } });
    const how = authenticate(req, res, url);
    if (!how) return;
    const path = url.pathname.slice(PREFIX.length);
    if (path === '/products' && req.method === 'POST') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c) => (body += c));
      req.on('end', () =>
        send(res, 201, { created: JSON.parse(body), type: req.headers['content-type'] }, { 'x-auth': how }),
      );
      return;
    }
    if (path === '/products') return list(req, res, url, how);
    const id = Number(/^\/products\/(\d+)$/.exec(path)?.[1]);
    switch (id) {
      case ID.ok:
        return send(res, 200, PRODUCT, { 'x-auth': how });
      case ID.missing:
        return send(res, 404, NOT_FOUND);
      case ID.html:
        res.writeHead(500, { 'content-type': 'text/html; charset=UTF-8' });
        return res.end(HTML_PAGE);
      case ID.declared: {
        const body = JSON.stringify({ id, name: 'x'.repeat(DECLARED_BYTES) }).slice(0, DECLARED_BYTES);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(DECLARED_BYTES) });
        return res.end(body);
      }
      case ID.chunked:
        return void chunked(res);
      case ID.gzip: {
        const body = gzipSync(JSON.stringify(GZIPPED));
        res.writeHead(200, {
          'content-type': 'application/json; charset=UTF-8',
          'content-encoding': 'gzip',
          'content-length': String(body.length),
        });
        return res.end(body);
      }
      case ID.gzipBomb: {
        const body = gzipSync(JSON.stringify({ id, name: 'a'.repeat(BOMB_BYTES) }));
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          'content-length': String(body.length),
        });
        return res.end(body);
      }
      case ID.flaky:
        // Every other request: a 503 with Retry-After: 0 first, then the product.
        if (flaky++ % 2 === 0)
          return send(
            res,
            503,
            { code: 'unavailable', message: 'Busy.', data: { status: 503 } },
            { 'retry-after': '0' },
          );
        return send(res, 200, PRODUCT, { 'x-auth': how });
      case ID.stallBody:
        // The headers and a tenth of the body, then nothing: the timeout covers the body too.
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        return res.write(`{"id":${id},"name":"`.padEnd(100, 'x'));
      case ID.truncated:
        // Half the declared body, then the connection is dropped.
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write(`{"id":${id},"name":"`.padEnd(500, 'x'));
        return void setTimeout(() => res.socket?.destroy(), 20);
      case ID.stall:
        return; // never answers; close() ends the connection
      case ID.away:
        res.writeHead(302, { location: `${other.url}${PREFIX}/products/${ID.ok}` });
        return res.end();
      case ID.same:
        res.writeHead(301, { location: `${PREFIX}/products/${ID.ok}` });
        return res.end();
      default:
        return send(res, 404, NOT_FOUND);
    }
  });
  const otherServer = createServer((req, res) => {
    if (req.url === '/__hits') return send(res, 200, { hits: otherHits });
    otherHits++;
    send(res, 200, PRODUCT);
  });
  const listen = (server) =>
    new Promise((resolve, reject) => {
      server.on('connection', (s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`));
    });
  const other = { url: await listen(otherServer) };
  const url = await listen(store);
  // A port nothing listens on (bound, then closed): connection refused.
  const gone = createServer();
  const refusedUrl = await listen(gone);
  await new Promise((r) => gone.close(r));
  return {
    url,
    otherUrl: other.url,
    refusedUrl,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        let n = 2;
        const done = () => --n === 0 && resolve();
        store.close(done);
        otherServer.close(done);
      }),
  };
}
