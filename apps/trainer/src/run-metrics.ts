import type { EvaluationReport } from '@mnist/metrics';
import type { MisclassifiedExample, ModelConfig } from '@mnist/model';
import type { BackendName } from '@mnist/runtime';
import type { EpochTestRecord, TimeToTarget } from '@mnist/pipeline';
import type { EpochRecord } from '@mnist/train';
import type { KernelBuild } from '@mnist/wasm-kernels';
import type { TrainerTrainingConfig } from './trainer-training-config.js';

/** The content of metrics.json: everything needed to judge and repeat a training run. */
export interface RunMetrics {
  /** Bumped when a field changes meaning. */
  formatVersion: 1;
  startedAt: string;
  finishedAt: string;
  /** Wall-clock seconds from start to the last file written. */
  totalSeconds: number;
  backend: BackendName;
  /** Threads that computed the gradients (`training.threads` resolved; `auto` depends on the cores). */
  threads: number;
  /**
   * On the `wasm` backend, the build of `@mnist/wasm-kernels` that trained (`fma` or `simd128`): they
   * round differently, so the same seed gives the same weights only on the same build. Absent on
   * other backends.
   */
  kernelBuild?: KernelBuild;
  seed: number;
  /**
   * The `--recipe` the run started from (its values are in `config`, with `--config` and the flags
   * layered over them), or null for none.
   */
  recipe: string | null;
  /** The fully resolved configs; `{ model, training }` can be passed back as `--config`. */
  config: { model: ModelConfig; training: TrainerTrainingConfig };
  data: {
    source: string;
    trainSamples: number;
    validationSamples: number;
    testSamples: number;
  };
  model: { parameters: number; flopsPerImage: number };
  training: { epochsRun: number; bestEpoch: number; stoppedEarly: boolean; seconds: number };
  history: EpochRecord[];
  /** Test figures after every epoch (`--target-accuracy`); empty when it is `off`. */
  epochTests: EpochTestRecord[];
  /** Time to `--target-accuracy`; null when it is `off`. */
  timeToTarget: TimeToTarget | null;
  test: EvaluationReport;
  /** Wrong test predictions: all counted, the most confident listed (pixels live in report.html only). */
  misclassified: { count: number; shown: MisclassifiedExample[] };
  versions: Record<string, string>;
}
