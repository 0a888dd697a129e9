import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { normalizeImages } from '@mnist/data';
import { loadMnistFromPackage } from '@mnist/data/node';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel } from './create-model.js';
import { ModelLoadError } from './model-load-error.js';
import { loadPretrained } from './load-pretrained.js';
import { loadPretrainedBest } from './load-pretrained-best.js';
import { loadPretrainedFrom } from './load-pretrained-from.js';
import { predictDigits } from './predict-digits.js';
import { PretrainedWeightsMissingError } from './pretrained-weights-missing-error.js';
import { saveModel } from './save-model.js';
import { startFileServer } from './test-file-server.js';

let root: string;
let saved: string;
let model: ReturnType<typeof createModel>;

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'mnist-model-pretrained-'));
  saved = join(root, 'weights');
  // No training: a freshly created model stands in for the trained one.
  model = createModel(undefined, { seed: 21 });
  await saveModel(model, saved);
});
afterAll(async () => {
  model.dispose();
  await rm(root, { recursive: true, force: true });
});

async function expectSamePredictions(loaded: LayersModel) {
  const images = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 6);
  expect(await predictDigits(loaded, images)).toEqual(await predictDigits(model, images));
  images.dispose();
  loaded.dispose();
}

describe('the pretrained loader', () => {
  it('reads model.json and weights.bin from a folder given as a file: URL', async () => {
    await expectSamePredictions(await loadPretrainedFrom(pathToFileURL(join(saved, 'model.json'))));
  });

  it('fetches them over HTTP, with weights.bin at its own (bundler-hashed) URL', async () => {
    const server = await startFileServer(
      new Map([
        ['/assets/model-1a2b.json', await readFile(join(saved, 'model.json'))],
        ['/assets/weights-3c4d.bin', await readFile(join(saved, 'weights.bin'))],
      ]),
    );
    try {
      const loaded = await loadPretrainedFrom(
        new URL(`${server.base}/assets/model-1a2b.json`),
        new URL(`${server.base}/assets/weights-3c4d.bin`),
      );
      await expectSamePredictions(loaded);
      expect(server.requests).toEqual(['/assets/model-1a2b.json', '/assets/weights-3c4d.bin']);
    } finally {
      await server.close();
    }
  });

  it('loads files a bundler inlined as data: URLs', async () => {
    const dataUrl = async (file: string, type: string) =>
      new URL(`data:${type};base64,${(await readFile(join(saved, file))).toString('base64')}`);
    const loaded = await loadPretrainedFrom(
      await dataUrl('model.json', 'application/json'),
      await dataUrl('weights.bin', 'application/octet-stream'),
    );
    await expectSamePredictions(loaded);
  });

  it('says how to produce the weights when model.json is missing, on disk or over HTTP', async () => {
    const onDisk = join(root, 'empty', 'model.json');
    const error = await loadPretrainedFrom(pathToFileURL(onDisk)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PretrainedWeightsMissingError);
    expect((error as Error).message).toMatch(
      new RegExp(`^No pretrained weights: ${onDisk.replace(/[.]/g, '\\.')} does not exist`),
    );
    expect((error as Error).message).toContain('`pnpm pretrained` (packages/model/weights)');
    expect((error as Error).message).toContain('`pnpm pretrained:best` (packages/model/weights-best)');

    const server = await startFileServer(new Map());
    try {
      await expect(loadPretrainedFrom(new URL(`${server.base}/weights/model.json`))).rejects.toBeInstanceOf(
        PretrainedWeightsMissingError,
      );
    } finally {
      await server.close();
    }
  });

  it('reports broken weights as a load error, not as missing weights', async () => {
    const server = await startFileServer(
      new Map([['/w/model.json', await readFile(join(saved, 'model.json'))]]),
    );
    try {
      const error = await loadPretrainedFrom(new URL(`${server.base}/w/model.json`)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelLoadError);
      expect(error).toMatchObject({ reason: 'missing-file', file: `${server.base}/w/weights.bin` });
    } finally {
      await server.close();
    }
  });
});

/** What `scripts/update-pretrained.mjs` recorded about the shipped weights. */
interface Provenance {
  testAccuracy: number;
  testImages: number;
  backend: string;
  recipe: string | null;
  command: string;
  files: Record<string, { bytes: number; sha256: string }>;
}

/** Images per inference call: the speed of one big batch without its memory. */
const SCORING_BATCH = 500;

// No fallback when the weights are missing: the loaders throw PretrainedWeightsMissingError and
// these tests fail, since a package without its weights does not do what its README says.
describe.each([
  { folder: 'weights', load: loadPretrained, recipe: null, command: 'pnpm pretrained' },
  { folder: 'weights-best', load: loadPretrainedBest, recipe: 'best', command: 'pnpm pretrained:best' },
])('the pretrained weights shipped in packages/model/$folder', ({ folder, load, recipe, command }) => {
  const weightsDir = new URL(`../${folder}/`, import.meta.url);
  const readProvenance = async () =>
    JSON.parse(await readFile(new URL('provenance.json', weightsDir), 'utf8')) as Provenance;

  it(`come from ${command}, with the recipe it trains`, async () => {
    expect(await readProvenance()).toMatchObject({ recipe, command });
  });

  it('are the files provenance.json describes', async () => {
    const { files } = await readProvenance();
    expect(Object.keys(files).sort()).toEqual(['model.json', 'weights.bin']);
    for (const [name, recorded] of Object.entries(files)) {
      const bytes = await readFile(new URL(name, weightsDir));
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      expect({ bytes: bytes.length, sha256 }, name).toEqual(recorded);
    }
  });

  it('classify the MNIST test images with exactly the recorded accuracy', { timeout: 300_000 }, async () => {
    const { testAccuracy, testImages, backend } = await readProvenance();
    // The accuracy is a count of correct images out of testImages, written as a float.
    const recordedCorrect = Math.round(testAccuracy * testImages);
    expect(recordedCorrect / testImages, 'provenance.json testAccuracy').toBe(testAccuracy);
    // Another backend rounds differently and could flip an image whose two best classes are all but
    // tied, so the images are scored on the backend that measured the figure.
    expect(['wasm', 'cpu'], `provenance.json backend ${backend}`).toContain(backend);

    const { test } = await loadMnistFromPackage();
    expect(test.count).toBe(testImages);
    const { images } = normalizeImages(test);
    const pixelsPerImage = test.rows * test.cols;
    expect(await tf.setBackend(backend), `backend ${backend} starts`).toBe(true);
    const before = tf.memory().numTensors;
    const loaded = await load();
    let correct = 0;
    try {
      for (let start = 0; start < test.count; start += SCORING_BATCH) {
        const count = Math.min(SCORING_BATCH, test.count - start);
        const batch = images.subarray(start * pixelsPerImage, (start + count) * pixelsPerImage);
        const input = tf.tensor4d(batch, [count, test.rows, test.cols, 1]);
        const predictions = await predictDigits(loaded, input);
        input.dispose();
        predictions.forEach(({ digit }, i) => {
          if (digit === test.labels[start + i]) correct += 1;
        });
      }
    } finally {
      loaded.dispose();
      await tf.setBackend('cpu');
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(correct).toBe(recordedCorrect);
  });
});
