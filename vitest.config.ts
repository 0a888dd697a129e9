import { defineConfig } from 'vitest/config';

// One root config; each package or app is a project so `pnpm test` runs everything in one process tree.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'e2e/*'],
  },
});
