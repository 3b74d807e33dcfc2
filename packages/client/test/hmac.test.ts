// OAuth's HMAC has two sides (package.json `#hmac`): node:crypto under Node, WebCrypto elsewhere. The suite signs
// through the Node side; this checks the WebCrypto side gives the same signatures, byte for byte.
import { createHmac as nodeHmac } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { createHmac as webHmac, randomNonce as webNonce } from '../src/hmac.js';
import { randomNonce as nodeNonce, createHmac as nodeSide } from '../src/hmac.node.js';

describe('the two HMAC sides agree', () => {
  const texts = [
    '',
    'GET&http%3A%2F%2Fstore.test%2Fwp-json%2Fwc%2Fv3%2Fproducts&oauth_consumer_key%3Dck_1',
    'é ünï 𝄞 ~*',
  ];
  for (const hash of ['SHA-256', 'SHA-1'] as const) {
    it(hash, async () => {
      const key = 'cs_0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e&';
      const web = webHmac(key, hash);
      const node = nodeSide(key, hash);
      for (const text of texts) {
        const expected = nodeHmac(hash === 'SHA-1' ? 'sha1' : 'sha256', key)
          .update(text)
          .digest('base64');
        expect(node(text)).toBe(expected);
        expect(await web(text)).toBe(expected);
      }
    });
  }

  it('signs the same without crypto.hash (Node < 20.12: createHmac with a KeyObject)', () => {
    for (const hash of ['SHA-256', 'SHA-1'] as const) {
      const key = 'cs_0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e&';
      const older = nodeSide(key, hash, null);
      for (const text of texts) {
        expect(older(text)).toBe(
          nodeHmac(hash === 'SHA-1' ? 'sha1' : 'sha256', key)
            .update(text)
            .digest('base64'),
        );
      }
    }
  });

  it('agrees for keys longer than a block and texts longer than its buffer', async () => {
    for (const key of ['k'.repeat(63), 'k'.repeat(64), 'k'.repeat(65), `${'\u00e9'.repeat(40)}&`, '&']) {
      for (const hash of ['SHA-256', 'SHA-1'] as const) {
        const node = nodeSide(key, hash);
        const web = webHmac(key, hash);
        for (const text of ['a', 'x'.repeat(1500), '\u00e9'.repeat(700), 'y'.repeat(5000), 'z']) {
          const expected = nodeHmac(hash === 'SHA-1' ? 'sha1' : 'sha256', key)
            .update(text)
            .digest('base64');
          expect(node(text), `${hash} ${key.length} ${text.length}`).toBe(expected);
          expect(await web(text)).toBe(expected);
        }
      }
    }
  });

  it('maps each random byte to the character at byte % 62 of A-Z a-z 0-9 in the WebCrypto nonce', () => {
    const table = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    for (let from = 0; from < 256; from += 32) {
      const spy = vi.spyOn(crypto, 'getRandomValues').mockImplementation(<T>(a: T) => {
        (a as Uint8Array).forEach((_, i, b) => {
          b[i] = from + i;
        });
        return a;
      });
      try {
        let want = '';
        for (let i = 0; i < 32; i++) want += table[(from + i) % 62];
        expect(webNonce()).toBe(want);
      } finally {
        spy.mockRestore();
      }
    }
  });

  it('gives fresh 32-character alphanumeric nonces on both sides, across pool refills', () => {
    for (const nonce of [webNonce, nodeNonce]) {
      const seen = new Set<string>();
      for (let i = 0; i < 1000; i++) {
        const n = nonce();
        expect(n).toMatch(/^[A-Za-z0-9]{32}$/);
        seen.add(n);
      }
      expect(seen.size).toBe(1000);
    }
  });
});
