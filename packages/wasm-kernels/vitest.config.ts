import { createRequire } from 'node:module';
import { defineProject } from 'vitest/config';

const require = createRequire(import.meta.url);

// Vite would resolve our `import '@tensorflow/tfjs-core'` to its ESM build while the backends,
// loaded by Node, get the CommonJS one: two engines with separate kernel and gradient registries.
// Pinning the bare specifiers to what Node resolves (the CommonJS builds) keeps one tfjs-core.
const tfjs = ['tfjs-core', 'tfjs-backend-cpu', 'tfjs-backend-wasm', 'tfjs-layers'];
export default defineProject({
  resolve: {
    alias: tfjs.map((name) => ({
      find: new RegExp(`^@tensorflow/${name}$`),
      replacement: require.resolve(`@tensorflow/${name}`),
    })),
  },
  test: { name: 'wasm-kernels', environment: 'node', testTimeout: 30_000 },
});
