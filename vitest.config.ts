import { defineConfig } from 'vitest/config';

/**
 * Three tiers (docs/testing.md): `small` is pure code and runs in seconds; `medium` puts one adapter
 * against the real thing (a database, Redis, ffmpeg, storage, the face model); `http` runs the app
 * over HTTP on a real database. `vitest run` runs them all; `--project <tier>` runs one.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Face-model tests are CPU-heavy on a 2-core machine; files run in parallel but not too many.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'small', include: ['test/small/**/*.test.ts'] } },
      { extends: true, test: { name: 'medium', include: ['test/medium/**/*.test.ts'] } },
      { extends: true, test: { name: 'http', include: ['test/http/**/*.test.ts'] } },
    ],
  },
});
