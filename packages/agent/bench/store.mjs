// A loopback store in a worker thread: GET /wp-json/wc/v3/products/{id} answers the spec's product example after
// `latency` ms, so the store's CPU does not share the event loop being measured.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const doc = JSON.parse(readFileSync(new URL('../../../spec/dist/openapi.json', import.meta.url), 'utf8'));
const media = doc.paths['/products/{id}'].get.responses['200'].content['application/json'];
const ref = (n) =>
  n?.$ref
    ? n.$ref
        .slice(2)
        .split('/')
        .reduce((o, k) => o[k], doc)
    : n;
const example = media.example ?? ref(Object.values(media.examples)[0]).value;
const body = JSON.stringify(example);
const latency = workerData?.latency ?? 0;

const server = createServer((_req, res) => {
  const send = () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  if (latency) setTimeout(send, latency);
  else send();
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
