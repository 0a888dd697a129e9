import type { io } from '@tensorflow/tfjs-core';

/** One labelled drawing a person kept: the 28x28 model input (0 = paper, 1 = ink) and its digit. */
export interface TeachExample {
  pixels: Float32Array;
  label: number;
}

/** A model as plain data: what crosses to and from the worker and what IndexedDB keeps. */
export interface ModelData {
  modelTopology: io.ModelArtifacts['modelTopology'];
  weightSpecs: io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
}

/** Accuracy of the shipped and the personal model on the same held-back MNIST test images. */
export interface HeldBackAccuracy {
  images: number;
  shipped: number;
  personal: number;
}

/** The page asks the teach worker to fine-tune the shipped model on `examples`. */
export interface TeachRequest {
  type: 'teach';
  /** Absolute URLs: the worker's own URL is not the page's, so relative ones would point elsewhere. */
  modelUrl: string;
  wasmDir: string;
  replayUrl: string;
  heldBackUrl: string;
  examples: TeachExample[];
}

/** What the teach worker reports back: progress, then one `taught` or `failed`. */
export type TeachReply =
  | { type: 'progress'; phase: 'loading' | 'training' | 'measuring'; done: number; total: number }
  | {
      type: 'taught';
      model: ModelData;
      /** Seconds `train()` ran; the page adds the start-up it saw around it. */
      trainSeconds: number;
      /** Images the fine-tune trained on per epoch: the examples' copies and the replayed MNIST images. */
      trainImages: number;
      epochs: number;
      accuracy: HeldBackAccuracy;
    }
  | { type: 'failed'; message: string };
