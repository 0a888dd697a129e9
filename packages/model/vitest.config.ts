import { defineProject } from 'vitest/config';

// Model tests build and run real CNNs on the tfjs CPU backend (and one spawns Node): 5 s is too
// tight on a busy 2-core machine.
export default defineProject({ test: { name: 'model', environment: 'node', testTimeout: 30_000 } });
