import { defineConfig } from 'vitest/config';

// The whole monorepo builds and tsc runs while every other package's tests share the same two cores: be patient.
export default defineConfig({ test: { testTimeout: 180_000, hookTimeout: 720_000 } });
