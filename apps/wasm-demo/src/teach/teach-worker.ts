// The teach worker: fine-tunes the shipped model on a person's examples mixed with replayed MNIST
// training images, on the WASM backend with the training kernels of @mnist/wasm-kernels, off the
// page's thread so the drawing pad stays responsive. Started by the page on the first "Teach".
import { type ImageSet, normalizeImages } from '@mnist/data';
import { evaluateModel, loadModelFromUrl } from '@mnist/model';
import { selectBackend } from '@mnist/runtime';
import { train } from '@mnist/train';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { io } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { decodeGallery } from '../gallery-format.js';
import { mixTeachingSet } from './mix-teaching-set.js';
import type { ModelData, TeachReply, TeachRequest } from './teach-protocol.js';

/**
 * How the fine-tune trains: a low constant rate so a few epochs move the weights toward the
 * examples without undoing MNIST; each example copied so that it counts among the replayed images;
 * one thread (a Web Worker has no `node:worker_threads`); a fixed seed, so the same examples give
 * the same personal model; the person's own drawings as they are, without the default augmentation.
 */
const FINE_TUNE = {
  copiesPerExample: 16,
  config: {
    epochs: 2,
    batchSize: 32,
    learningRate: 2e-4,
    seed: 7,
    threads: 1,
    earlyStopping: null,
    learningRateSchedule: { kind: 'constant' },
    augmentation: null,
  },
} as const;

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<TeachRequest>) => void) | null;
  postMessage(message: TeachReply, transfer?: Transferable[]): void;
};

interface Prepared {
  replay: ImageSet;
  heldBack: ImageSet;
  shippedAccuracy: number;
}
// Loaded once per worker: later teaches only train.
let prepared: Promise<Prepared> | undefined;

async function fetchSet(url: string): Promise<ImageSet> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return normalizeImages(decodeGallery(new Uint8Array(await response.arrayBuffer())));
}

async function prepare(request: TeachRequest): Promise<Prepared> {
  setWasmPaths(request.wasmDir);
  await selectBackend('wasm');
  const [replay, heldBack, shipped] = await Promise.all([
    fetchSet(request.replayUrl),
    fetchSet(request.heldBackUrl),
    loadModelFromUrl(request.modelUrl),
  ]);
  try {
    const { report } = await evaluateModel(shipped, heldBack);
    return { replay, heldBack, shippedAccuracy: report.accuracy };
  } finally {
    shipped.dispose();
  }
}

async function modelData(model: LayersModel): Promise<ModelData> {
  let data: ModelData | undefined;
  await model.save(
    io.withSaveHandler(async (artifacts) => {
      data = {
        modelTopology: artifacts.modelTopology,
        weightSpecs: artifacts.weightSpecs ?? [],
        weightData: io.CompositeArrayBuffer.join(artifacts.weightData),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return data!;
}

async function teach(request: TeachRequest): Promise<void> {
  const post = (reply: TeachReply, transfer: Transferable[] = []) => scope.postMessage(reply, transfer);
  post({ type: 'progress', phase: 'loading', done: 0, total: 1 });
  prepared ??= prepare(request);
  let ready: Prepared;
  try {
    ready = await prepared;
  } catch (error) {
    prepared = undefined; // a failed fetch may succeed on the next try
    throw error;
  }
  const model = await loadModelFromUrl(request.modelUrl);
  try {
    const set = mixTeachingSet(ready.replay, request.examples, FINE_TUNE.copiesPerExample);
    const result = await train({
      model,
      data: {
        train: set,
        validation: { ...set, images: new Float32Array(0), labels: new Uint8Array(0), count: 0 },
      },
      config: FINE_TUNE.config,
      onEvent: (event) => {
        if (event.type === 'batchEnd') {
          post({
            type: 'progress',
            phase: 'training',
            done: event.epoch * event.batchesPerEpoch + event.batch + 1,
            total: FINE_TUNE.config.epochs * event.batchesPerEpoch,
          });
        }
      },
    });
    post({ type: 'progress', phase: 'measuring', done: 0, total: 1 });
    const { report } = await evaluateModel(model, ready.heldBack);
    const data = await modelData(model);
    post(
      {
        type: 'taught',
        model: data,
        trainSeconds: result.seconds,
        trainImages: set.count,
        epochs: result.epochsRun,
        accuracy: { images: ready.heldBack.count, shipped: ready.shippedAccuracy, personal: report.accuracy },
      },
      [data.weightData],
    );
  } finally {
    model.dispose();
  }
}

scope.onmessage = (event) => {
  teach(event.data).catch((error: unknown) => {
    scope.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  });
};
