import '@tensorflow/tfjs-backend-cpu';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { createModel } from './create-model.js';
import { fileSystemIO } from './file-system-io.js';
import { loadModel } from './load-model.js';
import { ModelLoadError, type ModelLoadFailure } from './model-load-error.js';
import { saveModel } from './save-model.js';

// A small model keeps the files tiny: conv1 kernel [3,3,1,4] + bias [4], output kernel [784,10] + bias [10].
const SMALL = { convLayers: 1, filters: 4, poolAfter: [0], denseUnits: 0, dropout: 0 };
const WEIGHT_BYTES = (36 + 4 + 784 * 10 + 10) * 4;

let root: string;
let pristine: string;
let counter = 0;

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'mnist-model-load-'));
  pristine = join(root, 'pristine');
  const model = createModel(SMALL, { seed: 5 });
  await saveModel(model, pristine);
  model.dispose();
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh copy of the saved model, its parsed model.json, and a way to write model.json back. */
async function copy() {
  const dir = join(root, `case-${counter++}`, 'model');
  await mkdir(dir, { recursive: true });
  await cp(pristine, dir, { recursive: true });
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  const save = () => writeFile(join(dir, 'model.json'), JSON.stringify(json));
  return {
    dir,
    json,
    save,
    specs: json.weightsManifest[0].weights as { name: string; shape: number[]; dtype: string }[],
  };
}

async function expectLoadError(dir: string, reason: ModelLoadFailure, file: string, message: string) {
  const before = tf.memory().numTensors;
  const error = await loadModel(dir).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ModelLoadError);
  expect((error as ModelLoadError).message).toBe(message);
  expect(error).toMatchObject({ reason, file });
  expect(tf.memory().numTensors).toBe(before); // a failed load frees everything it made
}

describe('loadModel on hostile or broken folders', () => {
  it('loads the pristine copy', async () => {
    const { dir } = await copy();
    const model = await loadModel(dir);
    expect(model.getLayer('conv1').getWeights()[0]!.shape).toEqual([3, 3, 1, 4]);
    model.dispose();
  });

  it('serves tf.loadLayersModel directly through fileSystemIO', async () => {
    const { dir } = await copy();
    const viaTf = await loadLayersModel(fileSystemIO(dir));
    const viaUs = await loadModel(dir);
    expect(viaTf.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(
      viaUs.getWeights().map((w) => Array.from(w.dataSync())),
    );
    viaTf.dispose();
    viaUs.dispose();
  });

  it('names a missing model.json', async () => {
    const { dir } = await copy();
    await rm(join(dir, 'model.json'));
    const file = join(dir, 'model.json');
    await expectLoadError(dir, 'missing-file', file, `${file} does not exist`);
  });

  it('names a model.json that is not JSON', async () => {
    const { dir } = await copy();
    await writeFile(join(dir, 'model.json'), '{"modelTopology": ');
    const file = join(dir, 'model.json');
    const error = await loadModel(dir).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'invalid-model-json', file });
    expect((error as Error).message).toMatch(new RegExp(`^${escapeRegExp(file)}: is not valid JSON \\(`));
  });

  it('names a missing weights file', async () => {
    const { dir } = await copy();
    await rm(join(dir, 'weights.bin'));
    const file = join(dir, 'weights.bin');
    await expectLoadError(dir, 'missing-file', file, `${file} does not exist`);
  });

  it('names an extra weights file the manifest lists', async () => {
    const { dir, json, save } = await copy();
    json.weightsManifest[0].paths.push('extra.bin');
    await save();
    await writeFile(join(dir, 'extra.bin'), new Uint8Array(8));
    const file = join(dir, 'extra.bin');
    await expectLoadError(
      dir,
      'size-mismatch',
      file,
      `${file} is 8 bytes, more than the 0 bytes ${join(dir, 'model.json')} declares for it`,
    );
  });

  it('names a truncated weights file', async () => {
    const { dir } = await copy();
    await truncate(join(dir, 'weights.bin'), WEIGHT_BYTES - 10);
    const file = join(dir, 'weights.bin');
    await expectLoadError(
      dir,
      'size-mismatch',
      file,
      `${file} is ${WEIGHT_BYTES - 10} bytes but ${join(dir, 'model.json')} declares ${WEIGHT_BYTES} bytes of weights (truncated file?)`,
    );
  });

  it('names a weights file longer than declared', async () => {
    const { dir } = await copy();
    await writeFile(join(dir, 'weights.bin'), new Uint8Array(4), { flag: 'a' });
    const file = join(dir, 'weights.bin');
    await expectLoadError(
      dir,
      'size-mismatch',
      file,
      `${file} is ${WEIGHT_BYTES + 4} bytes, more than the ${WEIGHT_BYTES} bytes ${join(dir, 'model.json')} declares for it`,
    );
  });

  it('names a shape that disagrees with the topology', async () => {
    const { dir, save, specs } = await copy();
    specs[0]!.shape = [3, 3, 4, 1]; // same byte count, wrong layout
    await save();
    const file = join(dir, 'model.json');
    await expectLoadError(
      dir,
      'weights-mismatch',
      file,
      `${file}: weight "conv1/kernel" has shape [3,3,4,1] in weightsManifest but the topology needs [3,3,1,4]`,
    );
  });

  it('names a dtype that disagrees with the topology', async () => {
    const { dir, save, specs } = await copy();
    specs[1]!.dtype = 'int32'; // conv1/bias: same 4 bytes per value
    await save();
    const file = join(dir, 'model.json');
    await expectLoadError(
      dir,
      'weights-mismatch',
      file,
      `${file}: weight "conv1/bias" has dtype int32 in weightsManifest but the topology needs float32`,
    );
  });

  it('rejects a dtype a layers model cannot store', async () => {
    const { dir, save, specs } = await copy();
    specs[1]!.dtype = 'string';
    await save();
    const file = join(dir, 'model.json');
    await expectLoadError(
      dir,
      'invalid-model-json',
      file,
      `${file}: weight "conv1/bias" (weightsManifest[0].weights[1]) has dtype "string"; a layers model stores float32, int32, bool`,
    );
  });

  it('names a weight the model needs but the manifest lacks', async () => {
    const { dir, save, specs } = await copy();
    specs.pop(); // output/bias: the last 10 floats
    await save();
    await truncate(join(dir, 'weights.bin'), WEIGHT_BYTES - 40);
    const file = join(dir, 'model.json');
    await expectLoadError(
      dir,
      'weights-mismatch',
      file,
      `${file}: weightsManifest lacks weight "output/bias" that the model needs`,
    );
  });

  it('names a weight in the manifest the model does not have', async () => {
    const { dir, save, specs } = await copy();
    specs.push({ name: 'extra/kernel', shape: [2], dtype: 'float32' });
    await save();
    await writeFile(join(dir, 'weights.bin'), new Uint8Array(8), { flag: 'a' });
    const file = join(dir, 'model.json');
    await expectLoadError(
      dir,
      'weights-mismatch',
      file,
      `${file}: weightsManifest lists weight "extra/kernel" that the model does not have`,
    );
  });

  it('names a topology TensorFlow.js cannot build', async () => {
    const { dir, json, save } = await copy();
    json.modelTopology.config.layers[0].class_name = 'NoSuchLayer';
    await save();
    const file = join(dir, 'model.json');
    const before = tf.memory().numTensors;
    const error = await loadModel(dir).catch((e: unknown) => e);
    expect(tf.memory().numTensors).toBe(before);
    expect(error).toMatchObject({ reason: 'invalid-topology', file });
    expect((error as Error).message).toContain(`${file}: cannot build a model from "modelTopology" (`);
    expect((error as Error).message).toContain('NoSuchLayer');
  });

  describe('never reads outside the model folder', () => {
    it.each([
      ['a parent path', '../weights.bin'],
      ['a nested parent path', 'sub/../../weights.bin'],
      ['an absolute path', '/etc/passwd'],
      ['a backslash path', '..\\weights.bin'],
      ['a URL', 'file:///etc/passwd'],
    ])('refuses %s', async (_, path) => {
      const { dir, json, save } = await copy();
      // A valid weights file sits right outside, so following the path would have "worked".
      await cp(join(dir, 'weights.bin'), join(dir, '..', 'weights.bin'));
      json.weightsManifest[0].paths = [path];
      await save();
      const file = join(dir, 'model.json');
      await expectLoadError(
        dir,
        'unsafe-path',
        join(dir, path),
        `${file}: weights path ${JSON.stringify(path)} in weightsManifest[0] leaves the model's folder; ` +
          'weights paths must be plain relative paths (no "..", no absolute path or URL)',
      );
    });

    it('refuses a symlink that leads outside', async () => {
      const { dir, json, save } = await copy();
      const outside = join(dir, '..', 'outside.bin');
      await cp(join(dir, 'weights.bin'), outside);
      await symlink(outside, join(dir, 'link.bin'));
      json.weightsManifest[0].paths = ['link.bin'];
      await save();
      const file = join(dir, 'link.bin');
      await expectLoadError(
        dir,
        'unsafe-path',
        file,
        `${file} resolves to ${outside}, outside the model folder ${dir}; refusing to read it`,
      );
    });

    it('refuses a model.json that is a symlink to outside', async () => {
      const { dir } = await copy();
      const outside = join(dir, '..', 'model.json');
      await cp(join(dir, 'model.json'), outside);
      await rm(join(dir, 'model.json'));
      await symlink(outside, join(dir, 'model.json'));
      const file = join(dir, 'model.json');
      await expectLoadError(
        dir,
        'unsafe-path',
        file,
        `${file} resolves to ${outside}, outside the model folder ${dir}; refusing to read it`,
      );
    });

    it('follows a symlink that stays inside', async () => {
      const { dir, json, save } = await copy();
      await mkdir(join(dir, 'shards'));
      await cp(join(dir, 'weights.bin'), join(dir, 'shards', 'real.bin'));
      await symlink(join(dir, 'shards', 'real.bin'), join(dir, 'link.bin'));
      json.weightsManifest[0].paths = ['link.bin'];
      await save();
      const model = await loadModel(dir);
      model.dispose();
    });
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
