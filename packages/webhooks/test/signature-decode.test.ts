import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeSignature } from '../src/verify.js';

describe('decodeSignature (the table decoder every delivery goes through)', () => {
  it('decodes the base64 of any 32 bytes as Buffer does', () => {
    for (let i = 0; i < 2000; i++) {
      const mac = randomBytes(32);
      expect(Buffer.from(decodeSignature(mac.toString('base64')) as Uint8Array).equals(mac)).toBe(true);
    }
  });

  it('refuses every character outside the alphabet, in every position, including ones that alias a letter', () => {
    const good = randomBytes(32).toString('base64');
    // U+0141 and U+0161 have the low bytes of 'A' and 'a'; '-' and '_' are base64url; '=' only ends it.
    for (const bad of ['-', '_', ' ', '=', '\u0141', '\u0161', '\u00e9', '\0', '.']) {
      for (let i = 0; i < 43; i++) {
        expect(
          decodeSignature(good.slice(0, i) + bad + good.slice(i + 1)),
          `${JSON.stringify(bad)} at ${i}`,
        ).toBe(null);
      }
    }
  });

  it('refuses a wrong length, missing padding and non-zero padding bits', () => {
    const good = randomBytes(32).toString('base64');
    expect(decodeSignature(good.slice(0, 43))).toBe(null);
    expect(decodeSignature(`${good}=`)).toBe(null);
    expect(decodeSignature(`${good.slice(0, 43)}A`)).toBe(null);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const last = alphabet.indexOf(good[42] as string);
    for (let bits = 1; bits < 4; bits++) {
      const s = `${good.slice(0, 42)}${alphabet[(last & ~3) | bits]}=`;
      expect(decodeSignature(s), s).toBe(null);
    }
    for (const v of [undefined, null, 42, {}, [good]]) expect(decodeSignature(v)).toBe(null);
  });
});
