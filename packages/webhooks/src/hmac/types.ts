/** The HMAC-SHA256 primitive the verifier runs on: WebCrypto everywhere, node:crypto under Node (faster there). */
export interface HmacEngine {
  readonly name: string;
  /** HMAC-SHA256(key, data). */
  sign(key: string, data: Uint8Array): Promise<Uint8Array>;
  /** True when `mac` equals HMAC-SHA256(key, data); compared in constant time. */
  verify(key: string, data: Uint8Array, mac: Uint8Array): Promise<boolean> | boolean;
}
