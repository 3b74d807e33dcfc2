import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { wpSpecialcharsDecode } from '../src/secret.js';
import { ENGINES } from './helpers.js';

interface Vector {
  name: string;
  secret: string;
  key: string;
  body: string;
  body_base64: string;
  signature: string;
}
// Produced by test/vectors/make-vectors.sh with php-cli and openssl (see its header); CI only reads the file.
const { cases } = JSON.parse(readFileSync(new URL('./vectors/vectors.json', import.meta.url), 'utf8')) as {
  cases: Vector[];
};

describe('vectors from PHP + openssl', () => {
  it('covers the cases the brief names', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(cases.some((c) => c.body.includes('\\/') && c.body.includes('\\u00e9'))).toBe(true);
    expect(cases.some((c) => Buffer.from(c.body_base64, 'base64').some((b) => b > 0x7f))).toBe(true);
    expect(cases.some((c) => c.secret !== c.key)).toBe(true);
  });

  it.each(cases.map((c) => [c.name, c] as const))('decodes the secret like WordPress: %s', (_name, c) => {
    expect(wpSpecialcharsDecode(c.secret)).toBe(c.key);
  });

  for (const [engine, api] of ENGINES) {
    describe(engine, () => {
      it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
        const bytes = Buffer.from(c.body_base64, 'base64');
        expect(bytes.toString('utf8')).toBe(c.body);
        expect(await api.verifyWebhookSignature(bytes, c.signature, c.secret)).toBe(true);
        expect(await api.verifyWebhookSignature(c.body, c.signature, c.secret)).toBe(true);
        expect(await api.signWebhookBody(bytes, c.secret)).toBe(c.signature);
        // The body one byte short, and the secret not decoded when it needed decoding, both fail.
        expect(await api.verifyWebhookSignature(bytes.subarray(0, -1), c.signature, c.secret)).toBe(false);
        if (c.secret !== c.key) {
          expect(
            await api.verifyWebhookSignature(bytes, c.signature, c.secret, { decodeEntities: false }),
          ).toBe(false);
        }
      });
    });
  }
});

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
if (!hasOpenssl) console.warn('skipped: openssl not found (live openssl cross-check)');

describe.skipIf(!hasOpenssl)('live cross-check against openssl dgst', () => {
  const alphabet = ['a', 'Z', '0', '&', '<', '>', '"', "'", ';', '#', 'é', '🔑', ' ', '\\', '/'];
  const randomSecret = () => `${Array.from(randomBytes(24), (b) => alphabet[b % alphabet.length]).join('')}x`;
  it.each(Array.from({ length: 20 }, (_, i) => i))('random body and secret #%i', async () => {
    const secret = randomSecret();
    const body = randomBytes(1 + (randomBytes(2).readUInt16BE() % 5000));
    const key = wpSpecialcharsDecode(secret);
    const expected = execFileSync(
      'openssl',
      ['dgst', '-sha256', '-mac', 'HMAC', '-macopt', `hexkey:${Buffer.from(key).toString('hex')}`, '-binary'],
      { input: body },
    ).toString('base64');
    for (const [, api] of ENGINES) {
      expect(await api.verifyWebhookSignature(body, expected, secret)).toBe(true);
    }
  });
});
