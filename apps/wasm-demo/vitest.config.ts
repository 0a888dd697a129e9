import { defineProject } from 'vitest/config';

// Unit tests, in Node. The end-to-end test (e2e/) is the slow lane: vitest.e2e.config.ts.
export default defineProject({
  test: {
    name: 'wasm-demo',
    environment: 'node',
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
  },
});
