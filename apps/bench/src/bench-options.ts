/** One side of the comparison: a tfjs backend in Node, or PyTorch on the CPU. */
export type SideName = 'tfjs-wasm' | 'tfjs-cpu' | 'tfjs-node' | 'pytorch';

/** Every side, in the order rounds run them and tables show them. */
export const ALL_SIDES: readonly SideName[] = ['tfjs-wasm', 'tfjs-cpu', 'tfjs-node', 'pytorch'];

/** What one `pnpm bench` run measures, as parsed from its flags. */
export interface BenchOptions {
  /** Timed training steps per round on the fast sides (tfjs-wasm, tfjs-node, PyTorch). */
  steps: number;
  /** Untimed training steps before timing starts (JIT, allocator and kernel caches warm up). */
  warmupSteps: number;
  /** Timed training steps on the tfjs `cpu` backend, far slower: it runs in the first round only. */
  cpuSteps: number;
  batchSize: number;
  /**
   * Training thread counts of tfjs-wasm and PyTorch: the first is the main table's (which also
   * has inference, latency and the other sides); every one is timed for training at `batchSize`
   * and at each of `batchSizes`.
   */
  threads: number[];
  rounds: number;
  quick: boolean;
  /** Batch sizes of the scaling sweep; `null` when no sweep was asked for. */
  batchSizes: number[] | null;
  /** Timed inference batches per round (of `inferBatchSize` images). */
  inferBatches: number;
  inferBatchSize: number;
  /** Single-image predictions timed per round for latency. */
  latencyCalls: number;
  /** Single-image predictions per round on the tfjs `cpu` backend. */
  cpuLatencyCalls: number;
  sides: SideName[];
  /** Python interpreter of the PyTorch side. */
  python: string;
  /** Where the JSON results go; `null` for the default `bench-results/latest.json` at the repo root. */
  out: string | null;
  seed: number;
  help: boolean;
}
