import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every error a test catches goes through test/helpers/errors.ts; this hook checks none leaks a credential.
    setupFiles: ['test/helpers/leak-guard.ts'],
    testTimeout: 30_000,
    hookTimeout: 90_000,
    typecheck: { include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
