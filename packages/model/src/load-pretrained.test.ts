import '@tensorflow/tfjs-backend-cpu';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel } from './create-model.js';
import { ModelLoadError } from './model-load-error.js';
import { loadPretrained, loadPretrainedFrom } from './load-pretrained.js';
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
    expect((error as Error).message).toContain('`pnpm train`');
    expect((error as Error).message).toContain('packages/model/weights');

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

  it('loadPretrained reads the weights folder shipped in the package', async () => {
    const shipped = fileURLToPath(new URL('../weights/model.json', import.meta.url));
    if (existsSync(shipped)) {
      const loaded = await loadPretrained();
      const images = tf.zeros([1, 28, 28, 1]);
      const [prediction] = await predictDigits(loaded, images);
      expect(prediction!.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      images.dispose();
      loaded.dispose();
    } else {
      const error = await loadPretrained().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PretrainedWeightsMissingError);
      expect((error as Error).message).toContain(`No pretrained weights: ${shipped} does not exist.`);
    }
  });
});
