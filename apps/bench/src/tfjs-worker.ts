/**
 * The tfjs side of `pnpm bench`, run in a child process per job so each side's peak memory is its
 * own: `node dist/tfjs-worker.js '<job JSON>'` prints one `BENCH_RESULT <json>` line. The PyTorch
 * side (reference/torch-bench.py) runs the same jobs the same way.
 */
import { performance } from 'node:perf_hooks';
import { INFERENCE_BATCH_SIZE } from '@mnist/core';
import type { MnistDataset, RawImageSet } from '@mnist/data';
import { loadMnist } from '@mnist/data/node';
import { createModel, type ModelConfig } from '@mnist/model';
import { trainMnist } from '@mnist/pipeline';
import { type BackendChoice, BackendUnavailableError, selectBackend } from '@mnist/runtime';
import { gemmTile, kernelBuild } from '@mnist/wasm-kernels';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type {
  BenchJob,
  BenchResult,
  ComputeJob,
  ComputeResult,
  DataJob,
  DataResult,
  DescribeJob,
  DescribeResult,
  RuntimeInfo,
} from './bench-job.js';
import { RESULT_PREFIX } from './bench-job.js';
import type { SideName } from './bench-options.js';
import { benchTrainingConfig } from './bench-training-config.js';

const IMAGE = 28;
const CLASSES = 10;

function emit(result: BenchResult): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function maxRssBytes(): number {
  // resourceUsage().maxRSS is in KiB.
  return process.resourceUsage().maxRSS * 1024;
}

const BACKEND_OF: Partial<Record<SideName, BackendChoice>> = {
  'tfjs-node': 'node',
  'tfjs-wasm': 'wasm',
  'tfjs-cpu': 'cpu',
};

/**
 * Sets up the side's backend as an app does at start-up (`selectBackend` of @mnist/runtime; on
 * wasm it registers @mnist/wasm-kernels), so the model is built on the backend that trains it.
 * Returns the reason when the backend cannot run here: tfjs-node without its native library gives
 * a `BackendUnavailableError` saying so, and the bench goes on with the other sides.
 */
async function setUpBackend(side: SideName): Promise<string | null> {
  const choice = BACKEND_OF[side];
  if (choice === undefined) throw new Error(`tfjs-worker: side ${side} is not a tfjs side`);
  try {
    await selectBackend(choice);
    return null;
  } catch (error) {
    if (BackendUnavailableError.isInstance(error)) return error.message;
    throw error;
  }
}

function runtimeInfo(): RuntimeInfo {
  return {
    node: process.version,
    tfjs: tf.version_core,
    backend: tf.getBackend(),
    simd: tf.getBackend() === 'wasm' ? tf.env().getBool('WASM_HAS_SIMD_SUPPORT') : false,
    // Which build of @mnist/wasm-kernels trains (fma or simd128): the two round differently.
    ...(tf.getBackend() === 'wasm' ? { kernelBuild: kernelBuild() } : {}),
    // Which GEMM tile shape runs (same bits either way; the speed differs by engine).
    ...(tf.getBackend() === 'wasm' ? { gemmTile: gemmTile() } : {}),
  };
}

function buildModel(config: ModelConfig, seed: number): LayersModel {
  return createModel(config, { seed });
}

function trainableParameters(model: LayersModel): number {
  return model.trainableWeights.reduce(
    (sum, weight) => sum + (weight.shape as number[]).reduce((a, b) => a * b, 1),
    0,
  );
}

function describe(job: DescribeJob): DescribeResult {
  const model = buildModel(job.modelConfig, job.seed);
  const result: DescribeResult = {
    kind: 'describe',
    side: job.side,
    parameters: trainableParameters(model),
    layers: model.layers.map((layer) => `${layer.getClassName()} ${layer.countParams()}`),
    runtime: runtimeInfo(),
  };
  model.dispose();
  return result;
}

/** `count` random images of MNIST shape, seeded: byte pixels (so [0, 1] once normalized, as on the
 * PyTorch side) and labels 0-9. */
function randomImageSet(count: number, seed: number): RawImageSet {
  const images = tf.randomUniform([count * IMAGE * IMAGE], 0, 256, 'int32', seed);
  const labels = tf.randomUniform([count], 0, CLASSES, 'int32', seed + 1);
  const set: RawImageSet = {
    images: Uint8Array.from(images.dataSync()),
    labels: Uint8Array.from(labels.dataSync()),
    count,
    rows: IMAGE,
    cols: IMAGE,
  };
  tf.dispose([images, labels]);
  return set;
}

type TrainFigures = ComputeResult['train'];

/**
 * Trains through `trainMnist` of @mnist/pipeline, the run users get, on every tfjs side: one epoch
 * over exactly `warmupSteps + steps` batches of random images, `job.threads` gradient threads (one
 * on tfjs-node, whose TensorFlow pool sizes itself), no validation, no per-epoch test scoring and no
 * final evaluation, and PyTorch's work per step (`benchTrainingConfig`), so the run does nothing but
 * train. The clock (wall and process CPU, which counts every thread of the process, gradient
 * threads included) starts at the `batchEnd` of the last
 * warm-up batch and stops at the last batch's: data preparation, thread start-up and warm-up are
 * outside it, building each batch's tensors is inside.
 */
async function trainWithPipeline(
  job: ComputeJob,
): Promise<{ model: LayersModel; train: TrainFigures; threads: number }> {
  const { batchSize, warmupSteps, steps } = job;
  const source: MnistDataset = {
    train: randomImageSet((warmupSteps + steps) * batchSize, job.seed),
    // Never scored: `evaluate: false` and no target accuracy.
    test: { images: new Uint8Array(0), labels: new Uint8Array(0), count: 0, rows: IMAGE, cols: IMAGE },
  };
  let start = Number.NaN;
  let cpuStart: NodeJS.CpuUsage | null = null;
  let seconds = Number.NaN;
  let cpuSeconds = Number.NaN;
  let loss = Number.NaN;
  const startClock = () => {
    start = performance.now();
    cpuStart = process.cpuUsage();
  };
  const result = await trainMnist({
    source,
    model: job.modelConfig,
    training: benchTrainingConfig(job),
    targetAccuracy: null,
    evaluate: false,
    onEvent: (event) => {
      // With no warm-up, the clock starts with training: the cold start is then what is measured.
      if (event.type === 'trainStart' && warmupSteps === 0) startClock();
      if (event.type !== 'batchEnd') return;
      if (event.batch === warmupSteps - 1) startClock();
      if (event.batch === warmupSteps + steps - 1 && cpuStart !== null) {
        seconds = (performance.now() - start) / 1000;
        cpuSeconds = cpuSecondsSince(cpuStart);
        loss = event.loss;
      }
    },
  });
  if (!Number.isFinite(seconds)) {
    result.model.dispose();
    throw new Error(
      `tfjs-worker: trainMnist ran ${result.training.epochsRun} epoch(s) but not the ${steps} timed batches`,
    );
  }
  return {
    model: result.model,
    train: { steps, batchSize, seconds, cpuSeconds, samplesPerSecond: (steps * batchSize) / seconds, loss },
    threads: result.training.threads,
  };
}

async function compute(job: ComputeJob): Promise<ComputeResult> {
  const { model, train, threads: trained } = await trainWithPipeline(job);
  // TensorFlow's own thread pool sizes itself: there is no count to report.
  const threads = tf.getBackend() === 'tensorflow' ? Number.NaN : trained;
  // Inference and latency run on the calling thread only, with the model as trained.
  let start: number;
  let cpuStart: NodeJS.CpuUsage;
  let seconds: number;

  // In calls of INFERENCE_BATCH_SIZE images, as predictDigits of @mnist/model runs a model.
  const predict = async (input: tf.Tensor) => {
    const output = model.predict(input, { batchSize: INFERENCE_BATCH_SIZE }) as tf.Tensor;
    await output.data();
    output.dispose();
  };

  let infer: ComputeResult['infer'] = null;
  if (job.inferBatches > 0) {
    const warm = tf.randomUniform([job.inferWarmupBatchSize, IMAGE, IMAGE, 1], 0, 1, 'float32', job.seed + 4);
    await predict(warm);
    warm.dispose();
    const big = tf.randomUniform([job.inferBatchSize, IMAGE, IMAGE, 1], 0, 1, 'float32', job.seed + 2);
    start = performance.now();
    cpuStart = process.cpuUsage();
    for (let i = 0; i < job.inferBatches; i++) await predict(big);
    seconds = (performance.now() - start) / 1000;
    const cpuSeconds = cpuSecondsSince(cpuStart);
    big.dispose();
    const images = job.inferBatches * job.inferBatchSize;
    infer = {
      batches: job.inferBatches,
      batchSize: job.inferBatchSize,
      seconds,
      cpuSeconds,
      samplesPerSecond: images / seconds,
    };
  }

  let latencyMs: number[] | null = null;
  if (job.latencyCalls > 0) {
    const one = tf.randomUniform([1, IMAGE, IMAGE, 1], 0, 1, 'float32', job.seed + 3);
    for (let i = 0; i < Math.min(20, job.latencyCalls); i++) await predict(one);
    latencyMs = [];
    for (let i = 0; i < job.latencyCalls; i++) {
      const callStart = performance.now();
      await predict(one);
      latencyMs.push(performance.now() - callStart);
    }
    one.dispose();
  }

  const parameters = trainableParameters(model);
  model.dispose();
  return {
    kind: 'compute',
    side: job.side,
    parameters,
    threads,
    train,
    infer,
    latencyMs,
    maxRssBytes: maxRssBytes(),
    runtime: { ...runtimeInfo(), trainLoop: '@mnist/pipeline trainMnist()' },
  };
}

async function data(job: DataJob): Promise<DataResult> {
  const start = performance.now();
  const dataset = await loadMnist({ source: { dir: job.idxDir } });
  const seconds = (performance.now() - start) / 1000;
  return {
    kind: 'data',
    side: job.side,
    seconds,
    images: dataset.train.count + dataset.test.count,
    maxRssBytes: maxRssBytes(),
    runtime: { node: process.version },
  };
}

async function main(): Promise<void> {
  const raw = process.argv[2];
  if (raw === undefined) {
    process.stderr.write("usage: node tfjs-worker.js '<job JSON>'\n");
    process.exitCode = 2;
    return;
  }
  const job = JSON.parse(raw) as BenchJob;
  if (job.kind === 'data') {
    emit(await data(job));
    return;
  }
  const unavailable = await setUpBackend(job.side);
  if (unavailable !== null) {
    emit({ kind: 'unavailable', side: job.side, reason: unavailable });
    return;
  }
  emit(job.kind === 'describe' ? describe(job) : await compute(job));
}

await main();
