import { defineProject } from 'vitest/config';

/**
 * The trainer's end-to-end lane (`turbo run test:e2e --filter=@mnist/cli`): the real CLI interrupted
 * with SIGINT and SIGTERM, killed at random moments in a loop (20 by default) and resumed, each run
 * compared with an uninterrupted one: dozens of processes whose outcome depends on when a signal
 * lands, and the part of the suite that grows with KILL_LOOP_TRIES; and the CLI on a small tmpfs
 * that fills up during a checkpoint and a model save, which needs root to mount (skipped, saying
 * why, where mount is refused). The CLI tests that spawn it for a few seconds with fixed outcomes
 * (flags, exit statuses, one tiny run, a two-trial sweep, the --out lock, injected write failures)
 * stay in the unit lane (`vitest.config.ts`, which leaves these files out).
 */
export const E2E_TESTS = ['src/checkpoint-cli.test.ts', 'src/disk-full-cli.test.ts'];

export default defineProject({
  test: {
    name: 'cli-e2e',
    environment: 'node',
    include: E2E_TESTS,
    testTimeout: 120_000,
    // The tests spawn dist/cli.js: refuse to test a build older than src/.
    globalSetup: ['../../scripts/vitest-fresh-build.mjs'],
  },
});
