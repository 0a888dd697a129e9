import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/node.ts', 'src/pretrained.ts', 'src/pretrained-best.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  // Keep `import('node:fs/promises')` as written: a bare 'path' or 'fs' could be resolved by a
  // browser bundler to an npm polyfill, while 'node:' is unambiguously a Node built-in.
  removeNodeProtocol: false,
});
