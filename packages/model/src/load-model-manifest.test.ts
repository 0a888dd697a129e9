import '@tensorflow/tfjs-backend-cpu';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel } from './create-model.js';
import { loadModel } from './load-model.js';
import { ModelLoadError } from './model-load-error.js';
import { saveModel } from './save-model.js';

// The structural checks of model.json that load-model.test.ts does not reach: a model.json that is
// JSON but not a layers model, malformed manifest entries, and a shape that claims far more bytes
// than exist (which must be refused by counting, never by allocating). Every case must end in a
// ModelLoadError naming model.json and leave no tensor behind.
const SMALL = { convLayers: 1, filters: 4, poolAfter: [0], denseUnits: 0, dropout: 0 };

let root: string;
let pristine: string;
let counter = 0;

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'mnist-model-manifest-'));
  pristine = join(root, 'pristine');
  const model = createModel(SMALL, { seed: 3 });
  await saveModel(model, pristine);
  model.dispose();
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

// biome-ignore lint/suspicious/noExplicitAny: model.json is edited as untyped JSON on purpose.
type Json = any;

async function copyWith(edit: (json: Json) => Json): Promise<string> {
  const dir = join(root, `case-${counter++}`);
  await mkdir(dir, { recursive: true });
  await cp(pristine, dir, { recursive: true });
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  await writeFile(join(dir, 'model.json'), JSON.stringify(edit(json)));
  return dir;
}

const first = (json: Json) => json.weightsManifest[0];

describe('loadModel on a malformed model.json', () => {
  it.each<[string, (json: Json) => Json, string]>([
    ['JSON null', () => null, 'must hold a JSON object'],
    ['a JSON array', () => [], 'must hold a JSON object'],
    ['no modelTopology', ({ modelTopology: _, ...rest }) => rest, 'has no "modelTopology" object'],
    ['modelTopology a string', (j) => ({ ...j, modelTopology: 'x' }), 'has no "modelTopology" object'],
    ['no weightsManifest', ({ weightsManifest: _, ...rest }) => rest, 'has no "weightsManifest" array'],
    ['weightsManifest an object', (j) => ({ ...j, weightsManifest: {} }), 'has no "weightsManifest" array'],
    [
      'a group that is a number',
      (j) => ({ ...j, weightsManifest: [7] }),
      'weightsManifest[0] must be an object',
    ],
    [
      'paths not strings',
      (j) => {
        first(j).paths = [1];
        return j;
      },
      'weightsManifest[0].paths must be an array of file names',
    ],
    [
      'weights not an array',
      (j) => {
        first(j).weights = 'all';
        return j;
      },
      'weightsManifest[0].weights must be an array',
    ],
    [
      'a weight without a name',
      (j) => {
        first(j).weights[0].name = '';
        return j;
      },
      'weightsManifest[0].weights[0] must have a non-empty "name"',
    ],
    [
      'a negative dimension',
      (j) => {
        first(j).weights[0].shape = [3, -3, 1, 4];
        return j;
      },
      'must have a "shape" of non-negative integers',
    ],
    [
      'a fractional dimension',
      (j) => {
        first(j).weights[0].shape = [3, 3.5, 1, 4];
        return j;
      },
      'must have a "shape" of non-negative integers',
    ],
    [
      'a string dimension',
      (j) => {
        first(j).weights[0].shape = ['3', 3, 1, 4];
        return j;
      },
      'must have a "shape" of non-negative integers',
    ],
    [
      'an unknown quantization',
      (j) => {
        first(j).weights[0].quantization = { dtype: 'int4' };
        return j;
      },
      'has an unknown quantization',
    ],
    [
      'weights but no files',
      (j) => {
        first(j).paths = [];
        return j;
      },
      'weightsManifest[0] declares weights but lists no files',
    ],
  ])('refuses %s, naming model.json', async (_, edit, expected) => {
    const dir = await copyWith(edit);
    const before = tf.memory().numTensors;
    const error = await loadModel(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    const file = join(dir, 'model.json');
    expect(error).toMatchObject({ reason: 'invalid-model-json', file });
    expect((error as Error).message.startsWith(`${file}: `)).toBe(true);
    expect((error as Error).message).toContain(expected);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a shape claiming billions of weights by counting bytes, without allocating them', async () => {
    const dir = await copyWith((j) => {
      first(j).weights[0].shape = [100_000, 100_000, 1, 4]; // 160 GB of float32
      return j;
    });
    const arrayBuffers = process.memoryUsage().arrayBuffers;
    const error = await loadModel(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error).toMatchObject({ reason: 'size-mismatch', file: join(dir, 'weights.bin') });
    expect((error as Error).message).toContain('(truncated file?)');
    expect(process.memoryUsage().arrayBuffers - arrayBuffers).toBeLessThan(16 * 1024 * 1024);
  });

  it('ignores files in the folder that the manifest does not list', async () => {
    const dir = await copyWith((j) => j);
    await writeFile(join(dir, 'stray.bin'), new Uint8Array(1000));
    await writeFile(join(dir, 'model.json.tmp'), '{"half": ');
    const model = await loadModel(dir);
    expect(model.outputs[0]?.shape).toEqual([null, 10]);
    model.dispose();
  });
});
