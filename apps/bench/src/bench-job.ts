import type { ModelConfig } from '@mnist/model';
import type { SideName } from './bench-options.js';

/** Build the model only and report its size: the parameter-count check at start. */
export interface DescribeJob {
  kind: 'describe';
  side: SideName;
  modelConfig: ModelConfig;
  seed: number;
}

/** Train, then predict in batches, then predict one image at a time, on random MNIST-shaped data. */
export interface ComputeJob {
  kind: 'compute';
  side: SideName;
  modelConfig: ModelConfig;
  seed: number;
  /** Training threads: `threads` of @mnist/train (through trainMnist) on tfjs-wasm, `torch.set_num_threads` on PyTorch. */
  threads: number;
  batchSize: number;
  warmupSteps: number;
  steps: number;
  learningRate: number;
  inferBatchSize: number;
  /**
   * Images in the untimed inference batch before timing: the full batch where that is cheap, a few
   * on the tfjs `cpu` backend, whose 1,000-image batch takes minutes.
   */
  inferWarmupBatchSize: number;
  /** 0 skips batch inference (the scaling sweep measures training only). */
  inferBatches: number;
  /** 0 skips the latency calls. */
  latencyCalls: number;
}

/** Read and decode the four MNIST IDX files from `idxDir`. */
export interface DataJob {
  kind: 'data';
  side: SideName;
  idxDir: string;
}

/** What a child process is asked to do; sent to it as one JSON argument. */
export type BenchJob = DescribeJob | ComputeJob | DataJob;

/** Versions and settings of the runtime a child ran on (Node/tfjs or Python/torch). */
export type RuntimeInfo = Record<string, string | number | boolean>;

/** The model as one side built it. */
export interface DescribeResult {
  kind: 'describe';
  side: SideName;
  parameters: number;
  layers: string[];
  runtime: RuntimeInfo;
}

/** Figures of one compute job. Latencies are raw per-call milliseconds; the parent takes percentiles. */
export interface ComputeResult {
  kind: 'compute';
  side: SideName;
  parameters: number;
  /**
   * Threads that trained, as the side reports them (`TrainingResult.threads` of @mnist/train,
   * `torch.get_num_threads()`); `NaN` on tfjs-node, whose TensorFlow pool sizes itself. Inference
   * and latency always run on one thread on the tfjs sides.
   */
  threads: number;
  /**
   * `cpuSeconds` is the process's user + system CPU time over the timed loop, every thread of the
   * process included (gradient worker threads, OpenMP threads): on a shared machine, images per
   * CPU-second move far less with other load than images per second.
   */
  train: {
    steps: number;
    batchSize: number;
    seconds: number;
    cpuSeconds: number;
    samplesPerSecond: number;
    loss: number;
  };
  infer: {
    batches: number;
    batchSize: number;
    seconds: number;
    cpuSeconds: number;
    samplesPerSecond: number;
  } | null;
  latencyMs: number[] | null;
  maxRssBytes: number;
  runtime: RuntimeInfo;
}

/** Figures of one data job. */
export interface DataResult {
  kind: 'data';
  side: SideName;
  seconds: number;
  images: number;
  maxRssBytes: number;
  runtime: RuntimeInfo;
}

/** A side that cannot run here (tfjs-node without its native library, Python without torch). */
export interface UnavailableResult {
  kind: 'unavailable';
  side: SideName;
  reason: string;
}

/** Any result line a child prints. */
export type BenchResult = DescribeResult | ComputeResult | DataResult | UnavailableResult;

/** Marks the one stdout line of a child that carries its JSON result. */
export const RESULT_PREFIX = 'BENCH_RESULT ';
