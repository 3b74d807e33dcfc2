// `pnpm start`: the built docs and a mock store, together. Try-it requests in the reference go to the mock.
// Ctrl-C (SIGINT, also through turbo) or SIGTERM stops both; the mock's supervisor ends Prism if we die anyway.
import { fileURLToPath } from 'node:url';
import { startMock } from '@wooapi/mock';
import { serveSite } from './serve.mjs';

const root = fileURLToPath(new URL('../site', import.meta.url));

function port(name, value) {
  if (value === undefined || value === '') return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`${name} must be a port number from 0 to 65535, got "${value}"`);
    process.exit(2);
  }
  return n;
}

const docsPort = port('DOCS_PORT', process.env.DOCS_PORT ?? process.env.PORT);
const mockPort = port('MOCK_PORT', process.env.MOCK_PORT);

let mock;
let site;
let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the docs server and the mock...`);
  await Promise.allSettled([site?.close(), mock?.stop()]);
  console.log('stopped.');
  process.exit(0);
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGHUP', () => stop('SIGHUP'));

try {
  mock = await startMock({ port: mockPort || undefined });
  const config = `window.WOOAPI_DOCS = ${JSON.stringify({ mockUrl: mock.url, mockApiUrl: mock.apiUrl })};\n`;
  site = await serveSite({ root, port: docsPort, overrides: { '/config.js': config } });
} catch (error) {
  console.error(`start failed: ${error.message}`);
  await mock?.stop();
  process.exit(1);
}

console.log(`
  wooapi docs   ${site.url}/
  mock store    ${mock.url}   (API root ${mock.apiUrl}, any credentials, e.g. curl -u ck:cs ${mock.apiUrl}/products)

  Try-it in the API reference sends requests to the mock. Ctrl-C stops both.
`);
