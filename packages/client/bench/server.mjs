// The bench's store: a node:http server in a worker thread, so that serving and the clients under test do not share
// one event loop. `/wp-json/wc/v3/products/{id}` answers one product and `/wp-json/wc/v3/products` pages through
// `total` records, each with `latency` ms of simulated store time per request.
import { readFileSync } from 'node:fs';
import { createServer as createHttp } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { parentPort, workerData } from 'node:worker_threads';

const { total, latency, tls } = workerData;
// `tls`: https with the bench's self-signed certificate for 127.0.0.1 (bench/tls, a loopback-only fixture; the
// client side trusts it through NODE_EXTRA_CA_CERTS).
const createServer = tls
  ? (handler) =>
      createHttps(
        {
          key: readFileSync(new URL('./tls/loopback.key', import.meta.url)),
          cert: readFileSync(new URL('./tls/loopback.crt', import.meta.url)),
        },
        handler,
      )
  : createHttp;
const product = (id) => ({
  id,
  name: `Product ${id}`,
  slug: `product-${id}`,
  type: 'simple',
  status: 'publish',
  sku: `SKU-${id}`,
  price: '21.99',
  regular_price: '21.99',
  sale_price: '',
  stock_status: 'instock',
  categories: [{ id: 9, name: 'Clothing', slug: 'clothing' }],
  meta_data: [],
});
const one = JSON.stringify(product(794));
const cache = new Map();

const server = createServer((req, res) => {
  const u = new URL(req.url, 'http://bench');
  if (u.pathname.startsWith('/wp-json/wc/v3/products/')) {
    const send = () => {
      res.writeHead(200, {
        'content-type': 'application/json; charset=UTF-8',
        'content-length': Buffer.byteLength(one),
      });
      res.end(one);
    };
    return latency > 0 ? setTimeout(send, latency) : send();
  }
  const page = Number(u.searchParams.get('page') ?? 1);
  const perPage = Math.min(100, Number(u.searchParams.get('per_page') ?? 10));
  const pages = Math.ceil(total / perPage);
  // Pages are rendered once: the store's CPU is not under test, only its latency.
  const key = `${page}/${perPage}`;
  let body = cache.get(key);
  if (body === undefined) {
    const items = [];
    for (let i = (page - 1) * perPage; i < Math.min(page * perPage, total); i++) items.push(product(i + 1));
    body = JSON.stringify(items);
    cache.set(key, body);
  }
  setTimeout(() => {
    res.writeHead(200, {
      'content-type': 'application/json; charset=UTF-8',
      'x-wp-total': String(total),
      'x-wp-totalpages': String(pages),
    });
    res.end(body);
  }, latency);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', (m) => m === 'stop' && server.close(() => process.exit(0)));
