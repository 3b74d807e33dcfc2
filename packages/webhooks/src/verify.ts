import type { HmacEngine } from './hmac/types.js';
import { wpSpecialcharsDecode } from './secret.js';

/** The request body exactly as received. Pass bytes when you can: a string is re-encoded as UTF-8. */
export type RawBody = string | ArrayBufferView | ArrayBuffer;
/** One secret, or several while you rotate (the old and the new one): a match with any of them passes. */
export type WebhookSecret = string | readonly string[];

export interface VerifyOptions {
  /**
   * Decode the secret's HTML entities as WooCommerce does before signing (`&amp;` to `&`, ...). Default `true`:
   * right for the secret as the store holds it. Set `false` only if you know your store signs with it verbatim.
   */
  decodeEntities?: boolean;
}

const encoder = new TextEncoder();

export function toBytes(raw: RawBody): Uint8Array {
  if (raw instanceof Uint8Array) return raw; // Buffers too: the common case, no copy and no view
  if (typeof raw === 'string') return encoder.encode(raw);
  // isView and the tag test, not instanceof: bodies can come from another realm (edge sandboxes, test runners).
  if (ArrayBuffer.isView(raw)) return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  if (Object.prototype.toString.call(raw) === '[object ArrayBuffer]')
    return new Uint8Array(raw as ArrayBuffer);
  throw new TypeError(
    'rawBody must be a string, a Uint8Array (or Buffer) or an ArrayBuffer: the body as received.',
  );
}

/** The secrets to try, decoded as WooCommerce decodes them; throws on a missing or empty secret. */
export function resolveSecrets(secret: WebhookSecret, options: VerifyOptions = {}): string[] {
  const list = typeof secret === 'string' ? [secret] : Array.isArray(secret) ? [...secret] : null;
  if (!list || list.length === 0) {
    throw new TypeError(
      'secret must be a non-empty string or a non-empty array of strings (the webhook secret).',
    );
  }
  return list.map((s, i) => {
    if (typeof s !== 'string' || s.length === 0) {
      const which = typeof secret === 'string' ? 'secret' : `secret[${i}]`;
      throw new TypeError(
        `${which} is ${typeof s === 'string' ? 'empty' : typeof s}; every secret must be a non-empty string.`,
      );
    }
    return options.decodeEntities === false ? s : wpSpecialcharsDecode(s);
  });
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const SEXTET = new Int8Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) SEXTET[ALPHABET.charCodeAt(i)] = i;

/**
 * Strict base64 of a 32-byte MAC, or null: exactly 43 characters of the standard alphabet and one `=`, the last
 * character's 2 padding bits zero (canonical). Not base64url, no whitespace, no missing padding. Checked and
 * decoded in one pass by table (no atob string): this runs on every delivery.
 */
export function decodeSignature(signature: unknown): Uint8Array | null {
  if (typeof signature !== 'string' || signature.length !== 44 || signature.charCodeAt(43) !== 61)
    return null;
  // charCodeAt is < 65536; & 0xff would alias, so anything over 127 is refused by the `bad` check below.
  let bad = 0;
  const at = (i: number) => {
    const c = signature.charCodeAt(i);
    const v = SEXTET[c & 0xff] as number;
    bad |= v | (127 - c); // negative when the character is not base64 or is outside ASCII
    return v;
  };
  const out = new Uint8Array(32);
  let o = 0;
  for (let i = 0; i < 40; i += 4) {
    const n = (at(i) << 18) | (at(i + 1) << 12) | (at(i + 2) << 6) | at(i + 3);
    out[o++] = n >>> 16;
    out[o++] = (n >>> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  const last = at(42);
  const n = (at(40) << 18) | (at(41) << 12) | (last << 6);
  if (bad < 0 || (last & 3) !== 0) return null;
  out[30] = n >>> 16;
  out[31] = (n >>> 8) & 0xff;
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

export type VerifyWebhookSignature = (
  rawBody: RawBody,
  signature: string | null | undefined,
  secret: WebhookSecret,
  options?: VerifyOptions,
) => Promise<boolean>;

export type SignWebhookBody = (rawBody: RawBody, secret: string, options?: VerifyOptions) => Promise<string>;

export function makeVerify(engine: HmacEngine): VerifyWebhookSignature {
  // A verifier sees one secret over and over: keep the last one decoded.
  let lastSecret: string | undefined;
  let lastDecode: boolean | undefined;
  let lastResolved: string[] = [];
  return async function verifyWebhookSignature(rawBody, signature, secret, options) {
    let secrets: string[];
    const decode = options?.decodeEntities !== false;
    if (typeof secret === 'string' && secret === lastSecret && decode === lastDecode) secrets = lastResolved;
    else {
      secrets = resolveSecrets(secret, options);
      if (typeof secret === 'string') [lastSecret, lastDecode, lastResolved] = [secret, decode, secrets];
    }
    const data = toBytes(rawBody);
    const mac = decodeSignature(signature);
    if (!mac) return false;
    let ok = false;
    // Try every secret, even after a match, so timing does not tell which one matched.
    for (const s of secrets) {
      const match = engine.verify(s, data, mac);
      // node:crypto answers synchronously: awaiting a boolean would cost a turn of the microtask queue.
      if (typeof match === 'boolean' ? match : await match) ok = true;
    }
    return ok;
  };
}

export function makeSign(engine: HmacEngine): SignWebhookBody {
  return async function signWebhookBody(rawBody, secret, options) {
    const [s] = resolveSecrets(secret, options);
    return toBase64(await engine.sign(s as string, toBytes(rawBody)));
  };
}
