// Every published package's README says how to install it, and says it as the root README's Install section does
// (same command, same -D), so a user reading either gets the same answer.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readmeBlocks, repoRoot } from './helpers.js';

const PACKAGES: Record<string, string> = {
  '@wooapi/spec': 'spec',
  '@wooapi/types': 'packages/types',
  '@wooapi/client': 'packages/client',
  '@wooapi/webhooks': 'packages/webhooks',
  '@wooapi/mock': 'packages/mock',
  '@wooapi/docs': 'apps/docs',
  '@wooapi/cli': 'packages/cli',
};

/** `npm install [-D] a b` lines of a text: package -> whether it is a dev dependency there. */
function installs(text: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const m of text.matchAll(/^npm install( -D)?((?: @wooapi\/[a-z-]+)+)/gm)) {
    for (const name of m[2]!.trim().split(/\s+/)) out.set(name, Boolean(m[1]));
  }
  return out;
}

describe('install lines', () => {
  const root = installs(readmeBlocks().get('install') ?? '');

  it('the root README installs every published package but the spec (which comes with the others)', () => {
    expect([...root.keys()].sort()).toEqual(
      Object.keys(PACKAGES)
        .filter((p) => p !== '@wooapi/spec')
        .sort(),
    );
  });

  for (const [name, dir] of Object.entries(PACKAGES)) {
    it(`${dir}/README.md installs ${name} with npm, as the root README does`, () => {
      const pkg = JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8')) as {
        name: string;
        private?: boolean;
      };
      expect(pkg.name).toBe(name);
      expect(pkg.private).toBeFalsy();
      const own = installs(readFileSync(join(repoRoot, dir, 'README.md'), 'utf8'));
      expect(own.has(name), `${dir}/README.md has no "npm install ${name}" line`).toBe(true);
      if (root.has(name)) expect(own.get(name), `-D for ${name}`).toBe(root.get(name));
      expect(readFileSync(join(repoRoot, dir, 'README.md'), 'utf8')).not.toMatch(/pnpm add @wooapi\//);
    });
  }
});
