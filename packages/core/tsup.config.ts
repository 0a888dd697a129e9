import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/node.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  // Keep `node:fs/promises` as written: a bare 'fs' could be resolved by a browser bundler to an npm
  // polyfill, while 'node:' is unambiguously a Node built-in.
  removeNodeProtocol: false,
});
