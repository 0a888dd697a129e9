import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'trainer',
    environment: 'node',
    testTimeout: 120_000,
    // The CLI tests spawn dist/cli.js: refuse to test a build older than src/.
    globalSetup: ['../../scripts/vitest-fresh-build.mjs'],
  },
});
