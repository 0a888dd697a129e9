import { defineProject } from 'vitest/config';

// The slow lane (`pnpm --filter wasm-demo test:e2e`): builds the site when it is older than its
// sources, serves it and drives Chromium, so it gets minutes rather than seconds.
export default defineProject({
  test: {
    name: 'wasm-demo-e2e',
    environment: 'node',
    include: ['e2e/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
  },
});
