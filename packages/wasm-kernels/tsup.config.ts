import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/bench-internals.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
});
