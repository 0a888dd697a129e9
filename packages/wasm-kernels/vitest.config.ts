import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'wasm-kernels', environment: 'node' } });
