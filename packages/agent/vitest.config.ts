import { defineConfig } from 'vitest/config';

// Every package's tests run at once under `pnpm test` on a 2-core machine, beside real servers and builds:
// time limits are generous so that load never fails a test; the assertions are what decide.
export default defineConfig({ test: { testTimeout: 30_000, hookTimeout: 90_000 } });
