/** The Node side of `#hmac` (see hmac.ts): node:crypto, synchronous, several times faster than WebCrypto's dispatch. */
import * as crypto from 'node:crypto';

export type HmacHash = 'SHA-1' | 'SHA-256';

/** SHA-1 and SHA-256 work on 64-byte blocks: the HMAC pads are one block. */
const BLOCK = 64;

type OneShot = (algo: string, data: Uint8Array, enc: string) => Buffer | string;

/**
 * A base64 HMAC of text under one key. `oneShot` is node:crypto's `hash` where it exists (Node >= 20.12); tests pass
 * `null` to exercise what older Node runs.
 */
export function createHmac(
  key: string,
  hash: HmacHash,
  oneShot: OneShot | null = (crypto as { hash?: OneShot }).hash ?? null,
): (text: string) => string {
  const algo = hash === 'SHA-1' ? 'sha1' : 'sha256';
  let keyBytes = Buffer.from(key, 'utf8');
  // `crypto.hash` (one-shot): no Hmac object per call. Older Node: a KeyObject made once per client.
  if (!oneShot) {
    const secret = crypto.createSecretKey(keyBytes);
    return (text) => crypto.createHmac(algo, secret).update(text).digest('base64');
  }
  // HMAC (RFC 2104) = H((K ^ opad) || H((K ^ ipad) || text)), K the key (hashed first when longer than a block)
  // padded with zeros to a block. The two padded keys are computed once; the text is written after the inner one.
  if (keyBytes.length > BLOCK) keyBytes = crypto.createHash(algo).update(keyBytes).digest();
  const digestLength = algo === 'sha1' ? 20 : 32;
  let inner = Buffer.alloc(BLOCK + 1024);
  const outer = Buffer.alloc(BLOCK + digestLength);
  for (let i = 0; i < BLOCK; i++) {
    const k = keyBytes[i] ?? 0;
    inner[i] = k ^ 0x36;
    outer[i] = k ^ 0x5c;
  }
  return (text) => {
    // UTF-8 takes at most 3 bytes per UTF-16 unit: grow the buffer (keeping the padded key) when it could not fit.
    if (BLOCK + text.length * 3 > inner.length) {
      const next = Buffer.alloc(BLOCK + text.length * 3);
      inner.copy(next, 0, 0, BLOCK);
      inner = next;
    }
    const n = inner.write(text, BLOCK, 'utf8');
    (oneShot(algo, inner.subarray(0, BLOCK + n), 'buffer') as Buffer).copy(outer, BLOCK);
    return oneShot(algo, outer, 'base64') as string;
  };
}

// Nonces come from a pool of random bytes refilled every 64 nonces: one call into the CSPRNG per 64 requests.
const pool = Buffer.alloc(16 * 64);
let at = pool.length;
/** A nonce: 32 hexadecimal digits, 128 random bits (WooCommerce refuses a repeat within 15 minutes). */
export const randomNonce = (): string => {
  if (at === pool.length) {
    crypto.randomFillSync(pool);
    at = 0;
  }
  at += 16;
  return pool.toString('hex', at - 16, at);
};
