import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'train',
    environment: 'node',
    // The gradient threads run dist/gradient-worker.js: refuse to test a build older than src/.
    globalSetup: ['../../scripts/vitest-fresh-build.mjs'],
  },
});
