import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'trainer', environment: 'node', testTimeout: 120_000 } });
