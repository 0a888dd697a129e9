import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/cli.ts', 'src/tfjs-worker.ts'],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  // tsup leaves dependencies unbundled but not optional ones: tfjs-node must stay a runtime import.
  external: ['@tensorflow/tfjs-node'],
});
