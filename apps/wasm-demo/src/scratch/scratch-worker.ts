// The from-scratch worker: fetches MNIST from the static site (with progress), trains the default
// CNN from random weights with train() of @mnist/train on the WASM backend (training kernels from
// @mnist/runtime's selectBackend), checkpoints through @mnist/train's state codec, and measures
// the result on test images. Started by the page when a person starts training. On a cross-origin
// isolated page it trains on several workers: itself and gradient threads (gradient-thread.ts) it
// starts as nested Web Workers, sharing memory, as @mnist/train does with worker threads in Node.
import {
  decodeImageSet,
  type ImageSet,
  MNIST_FILE_NAMES,
  normalizeImages,
  subsetImageSet,
} from '@mnist/data';
import { createModel, DEFAULT_MODEL_CONFIG, evaluateModel } from '@mnist/model';
import { selectBackend } from '@mnist/runtime';
import { decodeTrainingState, encodeTrainingState, train, webWorkerThreadHost } from '@mnist/train';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { io } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ModelData } from '../teach/teach-protocol.js';
import type {
  GradientThreadSetup,
  ScratchReply,
  ScratchRequest,
  ScratchRunSettings,
} from './scratch-protocol.js';
import { SCRATCH_TRAINING } from './scratch-training-config.js';

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<ScratchRequest>) => void) | null;
  postMessage(message: ScratchReply, transfer?: Transferable[]): void;
};
const post = (reply: ScratchReply, transfer: Transferable[] = []) => scope.postMessage(reply, transfer);

let data: Promise<{ train: ImageSet; test: ImageSet }> | undefined;
let controller: AbortController | null = null;
let stopAndMeasure = false;

/** Fetches the four gzipped IDX files, reporting the bytes received across all of them. */
async function fetchMnist(mnistDir: string): Promise<{ train: ImageSet; test: ImageSet }> {
  const responses = await Promise.all(
    // Gzipped, under the folder the `mnist-files` plugin of vite.config.ts fills.
    MNIST_FILE_NAMES.map(async (file) => {
      const url = new URL(`${file}.gz`, mnistDir).href;
      const response = await fetch(url);
      if (!response.ok || response.body === null) throw new Error(`${url}: HTTP ${response.status}`);
      return { file, url, response, size: Number(response.headers.get('Content-Length') ?? 0) };
    }),
  );
  const total = responses.reduce((sum, { size }) => sum + size, 0);
  let loaded = 0;
  const bytes = await Promise.all(
    responses.map(async ({ response }) => {
      const chunks: Uint8Array[] = [];
      const reader = response.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        loaded += value.length;
        post({ type: 'download', loaded, total });
      }
      const joined = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
      let offset = 0;
      for (const chunk of chunks) {
        joined.set(chunk, offset);
        offset += chunk.length;
      }
      return joined;
    }),
  );
  const named = (i: number) => ({ bytes: bytes[i]!, fileName: responses[i]!.url });
  const [train, test] = await Promise.all([
    decodeImageSet(named(0), named(1)),
    decodeImageSet(named(2), named(3)),
  ]);
  return { train: normalizeImages(train), test: normalizeImages(test) };
}

const first = (set: ImageSet, count: number) =>
  subsetImageSet(
    set,
    Uint32Array.from({ length: Math.min(count, set.count) }, (_, i) => i),
  );

async function modelData(model: LayersModel): Promise<ModelData> {
  let saved: ModelData | undefined;
  await model.save(
    io.withSaveHandler(async (artifacts) => {
      saved = {
        modelTopology: artifacts.modelTopology,
        weightSpecs: artifacts.weightSpecs ?? [],
        weightData: io.CompositeArrayBuffer.join(artifacts.weightData),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return saved!;
}

async function run(request: Extract<ScratchRequest, { type: 'start' }>): Promise<void> {
  const started = performance.now();
  const settings: ScratchRunSettings = request.settings;
  setWasmPaths(request.wasmDir);
  await selectBackend('wasm');
  data ??= fetchMnist(request.mnistDir).catch((error: unknown) => {
    data = undefined;
    throw error;
  });
  const all = await data;
  const trainSet = first(all.train, settings.trainImages);
  const testSet = first(all.test, settings.testImages);
  const resumeFrom = request.resumeFrom === null ? undefined : decodeTrainingState(request.resumeFrom).state;
  const isolated = globalThis.crossOriginIsolated === true;
  // A resume trains on the count its checkpoint recorded: another count would change the numbers.
  const workers = resumeFrom?.threads ?? request.workers;
  if (workers > 1 && !isolated) {
    throw new Error(
      `this run was checkpointed on ${workers} workers and resumes only on as many, which needs a ` +
        'cross-origin isolated page (served with the COOP/COEP headers); Start begins a new run on 1 worker',
    );
  }
  // Its gradient threads: nested workers (started only for more than one worker).
  const setup: GradientThreadSetup = { wasmDir: request.wasmDir };
  const threadHost = webWorkerThreadHost(
    (index) =>
      new Worker(new URL('./gradient-thread.ts', import.meta.url), {
        type: 'module',
        name: `gradient thread ${index + 1}`,
      }),
    { setup },
  );
  // The same seed gives the same initial weights; a resume overwrites them with the checkpoint's.
  const model = createModel(DEFAULT_MODEL_CONFIG, { seed: SCRATCH_TRAINING.seed });
  controller = new AbortController();
  stopAndMeasure = false;
  let batchesPerEpoch = 1;
  try {
    const result = await train({
      model,
      data: {
        train: trainSet,
        validation: { ...testSet, images: new Float32Array(0), labels: new Uint8Array(0), count: 0 },
      },
      config: { ...SCRATCH_TRAINING, epochs: settings.epochs, threads: workers },
      threadHost,
      signal: controller.signal,
      ...(resumeFrom === undefined ? {} : { resumeFrom }),
      checkpointEveryBatches: 20,
      onCheckpoint: (state) => {
        const bytes = encodeTrainingState(state, { settings });
        post({ type: 'checkpoint', state: bytes, done: state.epoch * batchesPerEpoch + state.batch }, [
          bytes.buffer,
        ]);
      },
      onEvent: (event) => {
        if (event.type === 'trainStart') {
          batchesPerEpoch = event.batchesPerEpoch;
          post({
            type: 'started',
            epochs: event.epochs,
            batchesPerEpoch,
            workers: event.threads ?? 1,
            crossOriginIsolated: isolated,
            resumedAt: resumeFrom === undefined ? 0 : resumeFrom.epoch * batchesPerEpoch + resumeFrom.batch,
          });
        } else if (event.type === 'batchEnd') {
          post({
            type: 'batch',
            done: event.epoch * event.batchesPerEpoch + event.batch + 1,
            total: settings.epochs * event.batchesPerEpoch,
            loss: event.loss,
            accuracy: event.accuracy,
            samplesPerSecond: event.samplesPerSecond,
          });
        } else if (event.type === 'epochEnd') {
          post({ type: 'epoch', epoch: event.epoch, loss: event.loss, accuracy: event.accuracy });
        }
      },
    });
    if (result.aborted && !stopAndMeasure) {
      post({ type: 'paused' });
      return;
    }
    const { report } = await evaluateModel(model, testSet);
    const saved = await modelData(model);
    post(
      {
        type: 'finished',
        model: saved,
        testAccuracy: report.accuracy,
        testImages: testSet.count,
        confusion: report.confusionMatrix,
        seconds: (performance.now() - started) / 1000,
      },
      [saved.weightData],
    );
  } finally {
    model.dispose();
    controller = null;
  }
}

scope.onmessage = (event) => {
  const request = event.data;
  if (request.type === 'start') {
    run(request).catch((error: unknown) => {
      post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    });
  } else {
    stopAndMeasure = request.type === 'stop';
    controller?.abort();
  }
};
