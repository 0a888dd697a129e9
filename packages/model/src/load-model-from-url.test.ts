import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { io } from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel } from './create-model.js';
import { loadModelFromUrl } from './load-model-from-url.js';
import { ModelLoadError } from './model-load-error.js';
import { predictDigits } from './predict-digits.js';
import { startFileServer } from './test-file-server.js';

let model: ReturnType<typeof createModel>;
let modelJson: Record<string, unknown>;
let weights: Uint8Array;

beforeAll(async () => {
  await tf.setBackend('cpu');
  model = createModel({ convLayers: 2, filters: [4, 8], poolAfter: [0, 1], denseUnits: 16 }, { seed: 8 });
  // Capture the artifacts in memory, laid out as the file-system handler writes them.
  await model.save(
    io.withSaveHandler(async (artifacts) => {
      weights = new Uint8Array(io.CompositeArrayBuffer.join(artifacts.weightData!));
      modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      };
      return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
});
afterAll(() => model.dispose());

function json(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

describe('loadModelFromUrl', () => {
  it('loads a model over HTTP that predicts exactly like the original', async () => {
    const server = await startFileServer(
      new Map([
        ['/m/model.json', json(modelJson)],
        ['/m/weights.bin', weights],
      ]),
    );
    try {
      const before = tf.memory().numTensors;
      const loaded = await loadModelFromUrl(`${server.base}/m/model.json`);
      const images = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 4);
      expect(await predictDigits(loaded, images)).toEqual(await predictDigits(model, images));
      images.dispose();
      loaded.dispose();
      expect(tf.memory().numTensors).toBe(before);
      expect(server.requests).toEqual(['/m/model.json', '/m/weights.bin']);
    } finally {
      await server.close();
    }
  });

  it('refuses a weights path that leaves the model folder without fetching it', async () => {
    const hostile = {
      ...modelJson,
      weightsManifest: [{ ...(modelJson.weightsManifest as object[])[0], paths: ['../secret.bin'] }],
    };
    const server = await startFileServer(
      new Map([
        ['/m/model.json', json(hostile)],
        ['/secret.bin', weights],
      ]),
    );
    try {
      const error = await loadModelFromUrl(`${server.base}/m/model.json`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelLoadError);
      expect(error).toMatchObject({ reason: 'unsafe-path', file: `${server.base}/secret.bin` });
      expect(server.requests).toEqual(['/m/model.json']);
    } finally {
      await server.close();
    }
  });

  it('names a missing or truncated weights file by URL', async () => {
    const server = await startFileServer(
      new Map([
        ['/missing/model.json', json(modelJson)],
        ['/short/model.json', json(modelJson)],
        ['/short/weights.bin', weights.slice(0, 100)],
      ]),
    );
    try {
      const missing = await loadModelFromUrl(`${server.base}/missing/model.json`).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(ModelLoadError);
      expect(missing).toMatchObject({
        reason: 'missing-file',
        file: `${server.base}/missing/weights.bin`,
        message: `${server.base}/missing/weights.bin does not exist (HTTP 404)`,
      });
      await expect(loadModelFromUrl(`${server.base}/short/model.json`)).rejects.toMatchObject({
        reason: 'size-mismatch',
        file: `${server.base}/short/weights.bin`,
        message: `${server.base}/short/weights.bin is 100 bytes but ${server.base}/short/model.json declares ${weights.byteLength} bytes of weights (truncated file?)`,
      });
    } finally {
      await server.close();
    }
  });
});
