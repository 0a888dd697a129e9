import type { ModelData } from '../teach/teach-protocol.js';

/** What a from-scratch run trains on and how long; kept with its checkpoint so a resume matches. */
export interface ScratchRunSettings {
  /** The first this many MNIST training images (of 60,000). */
  trainImages: number;
  /** The first this many MNIST test images (of 10,000), measured at the end. */
  testImages: number;
  epochs: number;
}

/** What the scratch worker's gradient threads (`gradient-thread.ts`) need before their backend starts. */
export interface GradientThreadSetup {
  /** Absolute URL of the folder of the tfjs WASM binaries. */
  wasmDir: string;
}

/** The page's requests to the scratch worker. */
export type ScratchRequest =
  | {
      type: 'start';
      /** Absolute URLs: a worker resolves relative ones against its own script. */
      wasmDir: string;
      mnistDir: string;
      settings: ScratchRunSettings;
      /**
       * Workers to train a new run on (`scratchWorkerCount`: 1 unless the page is cross-origin
       * isolated); a resume trains on the count its checkpoint recorded.
       */
      workers: number;
      /** A checkpoint (`encodeTrainingState`) to continue from, or `null` for a new run. */
      resumeFrom: Uint8Array | null;
    }
  /** Stop after the current batch, with a checkpoint: the run can resume later. */
  | { type: 'pause' }
  /** Stop after the current batch and measure the model as trained so far. */
  | { type: 'stop' };

/** What the scratch worker reports. */
export type ScratchReply =
  | { type: 'download'; loaded: number; total: number }
  | {
      type: 'started';
      epochs: number;
      batchesPerEpoch: number;
      /** Workers computing each batch together: 1, or several on a cross-origin isolated page. */
      workers: number;
      crossOriginIsolated: boolean;
      resumedAt: number;
    }
  | {
      type: 'batch';
      /** Batches done in the whole run, and of how many. */
      done: number;
      total: number;
      loss: number;
      accuracy: number;
      samplesPerSecond: number;
    }
  | { type: 'epoch'; epoch: number; loss: number; accuracy: number }
  | { type: 'checkpoint'; state: Uint8Array; done: number }
  | { type: 'paused' }
  | {
      type: 'finished';
      model: ModelData;
      testAccuracy: number;
      testImages: number;
      /** `confusion[true][predicted]` counts. */
      confusion: number[][];
      seconds: number;
    }
  | { type: 'failed'; message: string };
