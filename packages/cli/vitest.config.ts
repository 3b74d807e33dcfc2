import { defineConfig } from 'vitest/config';

// Each test runs the real CLI (openapi-typescript, Redocly lint, Prism) while every other package's tests share the
// same two cores: a generate that takes 15 s alone took over 90 s under the whole suite. The assertions decide.
export default defineConfig({ test: { testTimeout: 240_000, hookTimeout: 300_000 } });
