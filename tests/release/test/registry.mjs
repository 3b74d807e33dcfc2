#!/usr/bin/env node
// A throwaway npm registry for the release check: Verdaccio 6 on 127.0.0.1, a free port, storage in the folder
// given. @wooapi/* exist only here (no uplink: a consumer can only get what the release published); every other
// package is proxied from the public npm registry, which this machine reaches (docs/decisions/release-check.md).
//   node test/registry.mjs <dir>     prints {"url": "http://127.0.0.1:PORT/"} once it listens; SIGTERM stops it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runServer } from 'verdaccio';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node test/registry.mjs <storage dir>');
  process.exit(2);
}
const upstream = process.env.WOOAPI_RELEASE_UPLINK ?? 'https://registry.npmjs.org/';
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'htpasswd'), '');
const config = {
  self_path: join(dir, 'config.yaml'),
  storage: join(dir, 'storage'),
  auth: { htpasswd: { file: join(dir, 'htpasswd'), max_users: 10 } },
  uplinks: { npmjs: { url: upstream, timeout: '60s', maxage: '30m' } },
  packages: {
    '@wooapi/*': { access: '$all', publish: '$authenticated', unpublish: '$authenticated' },
    '**': { access: '$all', publish: '$authenticated', proxy: 'npmjs' },
  },
  server: { keepAliveTimeout: 60 },
  security: { api: { legacy: true } },
  log: { type: 'stdout', format: 'pretty', level: 'error' },
  web: { enable: false },
};
const app = await runServer(config);
const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}/` }));
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The test that started us owns our stdin: when it goes away, so do we.
process.stdin.on('end', stop);
process.stdin.resume();
