import { defineProject } from 'vitest/config';

// Unit tests run in Node; the end-to-end test (e2e/) builds the site, serves it and drives Chromium,
// so it gets minutes rather than seconds.
export default defineProject({
  test: {
    name: 'wasm-demo',
    environment: 'node',
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
  },
});
