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
// base64 of 32 bytes: 43 characters and one `=`; the 43rd carries 2 padding bits, which must be zero (canonical).
const SIGNATURE_RE = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

export function toBytes(raw: RawBody): Uint8Array {
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
      throw new TypeError(
        `secret[${i}] is ${typeof s === 'string' ? 'empty' : typeof s}; every secret must be a non-empty string.`,
      );
    }
    return options.decodeEntities === false ? s : wpSpecialcharsDecode(s);
  });
}

/** Strict base64 (not base64url, no whitespace, canonical padding) of a 32-byte MAC, or null. */
export function decodeSignature(signature: unknown): Uint8Array | null {
  if (typeof signature !== 'string' || !SIGNATURE_RE.test(signature)) return null;
  const bin = atob(signature);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
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
  return async function verifyWebhookSignature(rawBody, signature, secret, options) {
    const secrets = resolveSecrets(secret, options);
    const data = toBytes(rawBody);
    const mac = decodeSignature(signature);
    if (!mac) return false;
    let ok = false;
    // Try every secret, even after a match, so timing does not tell which one matched.
    for (const s of secrets) {
      if (await engine.verify(s, data, mac)) ok = true;
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
