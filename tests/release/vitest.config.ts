import { defineConfig } from 'vitest/config';

// One release end to end (install in a copy, publish, a consumer's npm install, tsc, Prism) while every other
// package's tests share the same two cores: be patient; the assertions decide.
export default defineConfig({ test: { testTimeout: 240_000, hookTimeout: 900_000 } });
