import { configDefaults, defineProject } from 'vitest/config';
import { E2E_TESTS } from './vitest.e2e.config';

export default defineProject({
  test: {
    name: 'cli',
    environment: 'node',
    exclude: [...configDefaults.exclude, ...E2E_TESTS],
    testTimeout: 120_000,
    // The CLI tests spawn dist/cli.js: refuse to test a build older than src/.
    globalSetup: ['../../scripts/vitest-fresh-build.mjs'],
  },
});
