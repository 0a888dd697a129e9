import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const require = createRequire(import.meta.url);
// The package's `exports` hides dist/, but its package.json is reachable and dist/ sits beside it.
const wasmDist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
const wasmFiles = readdirSync(wasmDist).filter((file) => file.endsWith('.wasm'));

/**
 * Serves the tfjs WASM binaries under `wasm/` in dev and copies them into `dist/wasm/` at build, so
 * the page fetches them from its own folder (`setWasmPaths('./wasm/')`), never from a CDN.
 */
function tfjsWasmFiles(): Plugin {
  return {
    name: 'tfjs-wasm-files',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const file = /\/wasm\/([\w.-]+\.wasm)(\?|$)/.exec(request.url ?? '')?.[1];
        if (file === undefined || !wasmFiles.includes(file)) return next();
        response.setHeader('Content-Type', 'application/wasm');
        response.end(readFileSync(join(wasmDist, file)));
      });
    },
    generateBundle() {
      for (const file of wasmFiles) {
        this.emitFile({
          type: 'asset',
          fileName: `wasm/${file}`,
          source: readFileSync(join(wasmDist, file)),
        });
      }
    },
  };
}

// Relative base so the built site works from any static host and sub-path.
export default defineConfig({
  base: './',
  plugins: [tfjsWasmFiles()],
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
});
