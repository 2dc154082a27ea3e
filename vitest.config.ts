import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Face-model tests are CPU-heavy on a 2-core machine; files run in parallel but not too many.
    maxWorkers: 2,
  },
});
