import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { MNIST_FILE_NAMES } from '@mnist/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEACH_SET_FILES } from '../src/teach/teach-set-files.js';
import { APP_DIR, ensureBuild } from './ensure-build.js';

/** Every file under `dir`, as a path relative to it with `/` separators. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const TEXT = /\.(?:html|js|css|json)$/;

let dist: string;
let files: string[];
beforeAll(async () => {
  dist = await ensureBuild();
  files = listFiles(dist);
});

describe('the built static site', () => {
  it('has no float weights: the bundler emits only the page’s JavaScript and CSS', () => {
    // Vite copies whatever a bundled module names with `new URL(..., import.meta.url)`; the float
    // weights of @mnist/model's pretrained loader arrived that way as assets/weights-*.bin.
    expect(files.filter((file) => file.startsWith('assets/') && !/\.(?:js|css)$/.test(file))).toEqual([]);
    // Nor under any other name: no file of the site is the float weights file itself.
    const floatWeights = join(APP_DIR, 'node_modules/@mnist/model/weights/weights.bin');
    // float32, 4 bytes a weight: about 4 times the page's uint8 model.
    expect(statSync(floatWeights).size).toBeGreaterThan(3 * statSync(join(dist, 'model/weights.bin')).size);
    const floatHash = sha256(readFileSync(floatWeights));
    const sameBytes = files.filter(
      (file) =>
        statSync(join(dist, file)).size === statSync(floatWeights).size &&
        sha256(readFileSync(join(dist, file))) === floatHash,
    );
    expect(sameBytes).toEqual([]);
  });

  it('copies besides the bundle only index.html, public/, the tfjs WASM binaries, the teach sets and MNIST', () => {
    const require = createRequire(join(APP_DIR, 'package.json'));
    const wasmDist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    const wasm = readdirSync(wasmDist)
      .filter((file) => file.endsWith('.wasm'))
      .map((file) => `wasm/${file}`);
    expect(files.filter((file) => !file.startsWith('assets/'))).toEqual(
      [
        'index.html',
        ...listFiles(join(APP_DIR, 'public')),
        ...wasm,
        ...Object.values(TEACH_SET_FILES),
        ...MNIST_FILE_NAMES.map((name) => `mnist/${name}.gz`),
      ].sort(),
    );
  });

  it('holds nothing unreferenced: every file is named by index.html or by a file it leads to', () => {
    // The WASM binaries are named in the tfjs backend's code, which picks one by the browser's
    // features (SIMD; threads under cross-origin isolation); model/weights.bin by model.json.
    // `_headers` is read by the host (Netlify, Cloudflare Pages: the COOP/COEP headers), not the page.
    const reached = new Set(['index.html', '_headers']);
    const pending = ['index.html'];
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (!TEXT.test(file)) continue;
      const text = readFileSync(join(dist, file), 'utf8');
      for (const other of files) {
        // The scratch worker names the MNIST files by their IDX names and appends `.gz` itself.
        if (!reached.has(other) && text.includes(basename(other).replace(/\.gz$/, ''))) {
          reached.add(other);
          pending.push(other);
        }
      }
    }
    expect(files.filter((file) => !reached.has(file))).toEqual([]);
  });
});
