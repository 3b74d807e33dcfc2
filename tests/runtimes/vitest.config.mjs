import { defineConfig } from 'vitest/config';

// Each runtime's check starts a store and runs ~30 cases in a child process (workerd: two Workers), while the other
// packages' tests share the same two cores: be patient; the assertions decide.
export default defineConfig({
  test: { include: ['test/**/*.test.mjs'], testTimeout: 240_000, hookTimeout: 240_000 },
});
