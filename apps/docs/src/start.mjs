// `pnpm start`: the built docs and a mock store, together. Try-it requests in the reference go to the mock.
// Ctrl-C (SIGINT, also through turbo) or SIGTERM stops both; the mock's supervisor ends Prism if we die anyway.
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startMock } from '@wooapi/mock';
import { serveSite } from './serve.mjs';

const root = fileURLToPath(new URL('../site', import.meta.url));

// Fixed default ports, so a bookmark keeps working; when one is taken the next free one after it is used
// (and said). A port set in the environment is used as given (0: any free port) and fails clearly if taken.
const DEFAULTS = { docs: 4000, mock: 4010 };
const FALLBACK_TRIES = 10;

function envPort(name, value) {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`${name} must be a port number from 0 to 65535, got "${value}"`);
    process.exit(2);
  }
  return n;
}

function isFree(port) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** The port to use and, when it is not the default, why. */
async function choosePort(envName, value, fallbackFrom, avoid) {
  const wanted = envPort(envName, value);
  if (wanted !== undefined) {
    if (wanted !== 0 && !(await isFree(wanted))) {
      console.error(
        `${envName}=${wanted}: that port is taken on 127.0.0.1; pick another or unset ${envName}.`,
      );
      process.exit(2);
    }
    return { port: wanted, note: '' };
  }
  for (let p = fallbackFrom; p < fallbackFrom + FALLBACK_TRIES; p++) {
    if (p !== avoid && (await isFree(p))) {
      return { port: p, note: p === fallbackFrom ? '' : `  (${fallbackFrom} was taken)` };
    }
  }
  return {
    port: 0,
    note: `  (${fallbackFrom}-${fallbackFrom + FALLBACK_TRIES - 1} were taken: a free port)`,
  };
}

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

const inUse = (error) =>
  error?.code === 'EADDRINUSE' || /EADDRINUSE|address already in use/i.test(String(error?.message));

/**
 * Starts `listen(port)` on the chosen port; without an explicit port, a port taken between the check and the
 * bind (another process got there first) moves on to the next one, as a taken default does.
 */
async function listenOn(envName, value, fallbackFrom, avoid, listen) {
  for (let attempt = 0; ; attempt++) {
    const choice = await choosePort(envName, value, fallbackFrom + attempt, avoid);
    try {
      const server = await listen(choice.port);
      const note = attempt > 0 && !choice.note ? `  (${fallbackFrom} was taken)` : choice.note;
      return { server, note };
    } catch (error) {
      const explicit = envPort(envName, value) !== undefined;
      if (explicit || !inUse(error) || attempt >= FALLBACK_TRIES) throw error;
    }
  }
}

let mockNote = '';
let docsNote = '';
try {
  ({ server: mock, note: mockNote } = await listenOn(
    'MOCK_PORT',
    process.env.MOCK_PORT,
    DEFAULTS.mock,
    DEFAULTS.docs,
    (port) => startMock({ port: port || undefined }),
  ));
  const config = `window.WOOAPI_DOCS = ${JSON.stringify({ mockUrl: mock.url, mockApiUrl: mock.apiUrl })};\n`;
  const docsEnv = process.env.DOCS_PORT ? 'DOCS_PORT' : 'PORT';
  ({ server: site, note: docsNote } = await listenOn(
    docsEnv,
    process.env.DOCS_PORT ?? process.env.PORT,
    DEFAULTS.docs,
    mock.port,
    (port) => serveSite({ root, port, overrides: { '/config.js': config } }),
  ));
} catch (error) {
  console.error(`start failed: ${error.message}`);
  await mock?.stop();
  process.exit(1);
}

console.log(`
  wooapi docs   ${site.url}/${docsNote}
  mock store    ${mock.url}${mockNote}   (API root ${mock.apiUrl}, any credentials, e.g. curl -u ck:cs ${mock.apiUrl}/products)

  Try-it in the API reference sends requests to the mock. Ctrl-C stops both.
`);
