import '@tensorflow/tfjs-backend-cpu';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel } from './create-model.js';
import { loadModel } from './load-model.js';
import { ModelLoadError } from './model-load-error.js';
import { ModelSaveError } from './model-save-error.js';
import { predictDigits } from './predict-digits.js';
import { saveModel } from './save-model.js';

let root: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'mnist-model-save-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('saveModel and loadModel', () => {
  it('round-trip the default model with input normalization to identical predictions', async () => {
    const dir = join(root, 'round-trip', 'nested');
    const model = createModel({ inputNormalization: { mean: 0.1307, std: 0.3081 } }, { seed: 11 });
    await saveModel(model, dir);
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest).toEqual([{ paths: ['weights.bin'], weights: expect.any(Array) }]);
    expect((await readFile(join(dir, 'weights.bin'))).byteLength).toBe(136_010 * 4);

    const before = tf.memory().numTensors;
    const loaded = await loadModel(dir);
    expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    const images = tf.randomUniform([6, 28, 28, 1], 0, 1, 'float32', 2);
    expect(await predictDigits(loaded, images)).toEqual(await predictDigits(model, images));
    images.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('overwrites a saved model, keeps unrelated files and leaves no temporary file', async () => {
    const dir = join(root, 'overwrite');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'metrics.json'), '{"accuracy":0.99}');
    const small = { convLayers: 1, filters: 4, poolAfter: [0], denseUnits: 0 };
    const first = createModel(small, { seed: 1 });
    const second = createModel({ ...small, filters: 6 }, { seed: 2 });
    await saveModel(first, dir);
    await saveModel(second, dir);
    expect((await readdir(dir)).sort()).toEqual(['metrics.json', 'model.json', 'weights.bin']);
    expect(await readFile(join(dir, 'metrics.json'), 'utf8')).toBe('{"accuracy":0.99}');
    const loaded = await loadModel(dir);
    expect(loaded.getLayer('conv1').getWeights()[0]!.shape).toEqual([3, 3, 1, 6]);
    for (const model of [first, second, loaded]) model.dispose();
  });

  it('never leaves a model.json paired with the wrong weights when a save fails', async () => {
    const dir = join(root, 'failing');
    const model = createModel({ convLayers: 1, filters: 4, poolAfter: [0], denseUnits: 0 }, { seed: 3 });
    await saveModel(model, dir);
    // A folder in the way of weights.bin makes the rename fail after the old model.json is gone.
    await rm(join(dir, 'weights.bin'));
    await mkdir(join(dir, 'weights.bin', 'blocker'), { recursive: true });
    const failure = saveModel(model, dir);
    await expect(failure).rejects.toBeInstanceOf(ModelSaveError);
    await expect(failure).rejects.toThrow(`Cannot save the model to ${dir}:`);
    expect((await readdir(dir)).sort()).toEqual(['weights.bin']); // temporary files removed
    await expect(loadModel(dir)).rejects.toMatchObject({
      reason: 'missing-file',
      file: join(dir, 'model.json'),
    });
    model.dispose();
  });

  it('reports a folder it cannot create', async () => {
    const file = join(root, 'a-file');
    await writeFile(file, 'not a folder');
    const model = createModel({ convLayers: 1, filters: 2, poolAfter: [0], denseUnits: 0 });
    await expect(saveModel(model, join(file, 'model'))).rejects.toThrow(
      `Cannot save the model to ${join(file, 'model')}:`,
    );
    model.dispose();
  });

  it('reports a missing model folder as a missing model.json', async () => {
    const dir = join(root, 'does-not-exist');
    const error = await loadModel(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error).toMatchObject({ reason: 'missing-file', file: join(dir, 'model.json') });
    expect((error as Error).message).toBe(`model folder ${dir} does not exist`);
  });
});
