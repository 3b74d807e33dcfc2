/**
 * HMAC-SHA1/SHA256 to base64 on WebCrypto (browsers, workerd and other edge runtimes). Node, Bun and Deno load
 * `hmac.node.ts` instead (the `node` condition of the `#hmac` import in package.json, which all three honour): same
 * function, on node:crypto, synchronous.
 */
export type HmacHash = 'SHA-1' | 'SHA-256';

/** A base64 HMAC of text under one key; the key is imported once, on first use. */
export function createHmac(key: string, hash: HmacHash): (text: string) => Promise<string> {
  const enc = new TextEncoder();
  let imported: Promise<CryptoKey> | undefined;
  return async (text) => {
    imported ??= crypto.subtle.importKey('raw', enc.encode(key), { name: 'HMAC', hash }, false, ['sign']);
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await imported, enc.encode(text)));
    let bin = '';
    for (let i = 0; i < mac.length; i++) bin += String.fromCharCode(mac[i]!);
    return btoa(bin);
  };
}

/**
 * A nonce: 32 random alphanumerics (WooCommerce refuses a repeat within 15 minutes). Byte `b` gives the character at
 * `b % 62` of `A-Z a-z 0-9`, by arithmetic instead of a 62-character table (the same characters, fewer bytes).
 */
export const randomNonce = (): string => {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let out = '';
  // 62 * 4 = 248 < 256: rejection would be exact, the tiny modulo bias is irrelevant for a nonce.
  for (let i = 0; i < 32; i++) {
    const c = bytes[i]! % 62;
    out += String.fromCharCode(c < 26 ? c + 65 : c < 52 ? c + 71 : c - 4);
  }
  return out;
};
