import { createWooClient, type WooClientOptions } from '../../src/index.js';
import { KEY, SECRET } from './errors.js';

/** A client of the suite's credentials with Basic auth over plain http to a test server on 127.0.0.1. */
export const basicClient = (url: string, extra: Partial<WooClientOptions> = {}) =>
  createWooClient({
    url,
    consumerKey: KEY,
    consumerSecret: SECRET,
    auth: 'basic',
    allowInsecureLoopback: true,
    ...extra,
  });
