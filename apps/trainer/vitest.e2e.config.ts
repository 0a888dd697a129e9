import { defineProject } from 'vitest/config';

/**
 * The trainer's slow lane (`pnpm --filter trainer test:e2e`): the real CLI interrupted with SIGINT
 * and SIGTERM, killed at random moments in a loop and resumed, minutes of training on 2 cores.
 * The CLI tests that spawn it for seconds (flags, exit codes, one tiny run, sweeps) stay in the
 * unit lane (`vitest.config.ts`, which leaves these files out).
 */
export const E2E_TESTS = ['src/checkpoint-cli.test.ts'];

export default defineProject({
  test: {
    name: 'trainer-e2e',
    environment: 'node',
    include: E2E_TESTS,
    testTimeout: 120_000,
    // The tests spawn dist/cli.js: refuse to test a build older than src/.
    globalSetup: ['../../scripts/vitest-fresh-build.mjs'],
  },
});
