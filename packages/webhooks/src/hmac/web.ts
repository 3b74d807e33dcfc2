import type { HmacEngine } from './types.js';

const encoder = new TextEncoder();
// Importing a key costs more than hashing a small body; keep the last few (a process verifies with a handful).
const MAX_KEYS = 16;
const keys = new Map<string, Promise<CryptoKey>>();

function importKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value as string);
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
    keys.set(secret, key);
  }
  return key;
}

/** WebCrypto: Node 20+, browsers, Deno, Bun, Workers and other edge runtimes. */
export const webHmac: HmacEngine = {
  name: 'webcrypto',
  async sign(secret, data) {
    return new Uint8Array(await crypto.subtle.sign('HMAC', await importKey(secret), data as BufferSource));
  },
  async verify(secret, data, mac) {
    // subtle.verify compares in constant time.
    return crypto.subtle.verify('HMAC', await importKey(secret), mac as BufferSource, data as BufferSource);
  },
};
