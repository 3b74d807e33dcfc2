import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The `node` side of package.json's `#hmac` and `#dispatch` imports, from source (the runtime resolves them to
  // dist/*.node.js).
  resolve: {
    alias: {
      '#hmac': fileURLToPath(new URL('./src/hmac.node.ts', import.meta.url)),
      '#dispatch': fileURLToPath(new URL('./src/dispatch.node.ts', import.meta.url)),
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Every error a test catches goes through test/helpers/errors.ts; this hook checks none leaks a credential.
    setupFiles: ['test/helpers/leak-guard.ts'],
    testTimeout: 30_000,
    hookTimeout: 90_000,
    typecheck: { include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
