import '@tensorflow/tfjs-backend-cpu';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel } from './create-model.js';
import { predictDigits } from './predict-digits.js';
import { saveModel } from './save-model.js';

// What another program does with our files: no @mnist/model loader, only TensorFlow.js and a
// minimal IO handler that hands it model.json and weights.bin.
const MINIMAL_LOADER = `
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
const dir = process.argv[1];
const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
const bin = await readFile(join(dir, 'weights.bin'));
const model = await loadLayersModel({
  load: async () => ({
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest[0].weights,
    weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
  }),
});
await tf.setBackend('cpu');
const images = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 17);
const out = model.predict(images);
console.log(JSON.stringify({ layers: model.layers.map((l) => l.getClassName()), probabilities: out.arraySync() }));
`;

let root: string;
let model: ReturnType<typeof createModel>;

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'mnist-model-plain-'));
  model = createModel({ inputNormalization: { mean: 0.1307, std: 0.3081 } }, { seed: 3 });
  await saveModel(model, root);
});
afterAll(async () => {
  model.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('a saved model in plain TensorFlow.js', () => {
  it('loads with tf.loadLayersModel and a minimal handler, normalization layer included', async () => {
    const json = JSON.parse(await readFile(join(root, 'model.json'), 'utf8'));
    const bin = await readFile(join(root, 'weights.bin'));
    const loaded = await loadLayersModel({
      load: async () => ({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0].weights,
        weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
      }),
    });
    expect(loaded.getLayer('normalize').getClassName()).toBe('Rescaling');
    const images = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 17);
    expect(await predictDigits(loaded, images)).toEqual(await predictDigits(model, images));
    images.dispose();
    loaded.dispose();
  });

  it('loads in a separate Node process that never imports @mnist/model', async () => {
    const packageDir = fileURLToPath(new URL('..', import.meta.url));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '--eval', MINIMAL_LOADER, root],
      { cwd: packageDir },
    );
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      layers: string[];
      probabilities: number[][];
    };
    expect(result.layers[0]).toBe('Rescaling');
    const images = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 17);
    const expected = (await predictDigits(model, images)).map((p) => p.probabilities);
    images.dispose();
    expect(result.probabilities).toEqual(expected);
  });
});
