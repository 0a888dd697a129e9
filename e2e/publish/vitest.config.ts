import { defineProject } from 'vitest/config';

// The release test builds, publishes and installs for real: minutes, not seconds.
export default defineProject({
  test: { name: 'publish-e2e', environment: 'node', testTimeout: 900_000, hookTimeout: 120_000 },
});
