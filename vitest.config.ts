import { defineConfig } from 'vitest/config';

// One root config for `npx vitest run <path>` from anywhere in the tree and for editors: each
// package or app is a project (its vitest.config.ts), and the slow end-to-end lanes of the apps are
// projects of their own (vitest.e2e.config.ts). `pnpm test` runs the same configs per package
// through turbo (see the README's Test section).
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'e2e/*', 'apps/*/vitest.e2e.config.ts'],
  },
});
