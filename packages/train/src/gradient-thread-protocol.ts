import type { AugmentationConfig } from '@mnist/data';
import type { BackendName } from '@mnist/runtime';

/** Where one tensor's values sit in a shared `Float32Array`: `[offset, offset + size)`. Internal. */
export interface TensorSlot {
  shape: number[];
  offset: number;
  size: number;
}

/**
 * An image set whose arrays live on `SharedArrayBuffer`s, so every thread reads the same memory:
 * shared once, then named by `id` in requests. Internal.
 */
export interface SharedImageSet {
  /** 0 is the training set; measured sets count up from 1. */
  id: number;
  images: Float32Array;
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
}

/** What a gradient thread is started with: the first message it receives (`InitRequest`). Internal. */
export interface GradientThreadInit {
  /** `model.toJSON(null, false)`: the architecture, without weights. */
  modelTopology: unknown;
  backend: BackendName;
  /** The main thread's current weights, all of `model.weights` in order, written before each step. */
  weights: SharedArrayBuffer;
  weightSlots: TensorSlot[];
  /** This thread's own output: the gradients of `model.trainableWeights` in order. */
  gradients: SharedArrayBuffer;
  gradientSlots: TensorSlot[];
  /** The training set, shared for the whole run: steps name images by index into it. */
  train: SharedImageSet;
  /** `TrainingConfig.labelSmoothing` of the run, for the slices' loss. */
  labelSmoothing: number;
  /** The run's augmentation, applied by the thread to each slice it builds; `null` for none. */
  augmentation: AugmentationConfig | null;
}

/**
 * The first message to a thread, whatever runs it (a Node worker thread, a Web Worker): build the
 * model copy and answer `ready`. Internal.
 */
export interface InitRequest {
  type: 'init';
  init: GradientThreadInit;
  /** `GradientThreadHost.setup`, for the thread script's `setUp`; absent when the host has none. */
  setup?: unknown;
}

/** One slice of a batch to compute gradients for. Internal. */
export interface GradientStepRequest {
  type: 'step';
  /** The slice's images, as indices into the training set (the thread builds the slice itself). */
  indices: Uint32Array;
  /** Seeds this slice's dropout masks, with `seed`, `epoch` and `batch`. */
  shard: number;
  seed: number;
  epoch: number;
  batch: number;
  /** Position of the slice's first image in the epoch's order: seeds its augmentation, which needs it. */
  position?: number;
  /**
   * This thread's slice of the next step, when the pool knows it: the thread augments its images
   * after replying, while the main thread finishes the step.
   */
  next?: PreparedSlice;
}

/** A slice of a later step whose images a thread makes ahead. Internal. */
export interface PreparedSlice {
  indices: Uint32Array;
  seed: number;
  epoch: number;
  position: number;
}

/** A set to keep for later `measure` requests. No reply. Internal. */
export interface ShareRequest {
  type: 'share';
  set: SharedImageSet;
}

/** Forget a set shared earlier. No reply. Internal. */
export interface UnshareRequest {
  type: 'unshare';
  id: number;
}

/** Images `[start, end)` of a shared set to measure in inference mode with the published weights. Internal. */
export interface MeasureRequest {
  type: 'measure';
  set: number;
  start: number;
  end: number;
}

/** What a thread is asked to do. Internal. */
export type GradientThreadRequest =
  | InitRequest
  | GradientStepRequest
  | ShareRequest
  | UnshareRequest
  | MeasureRequest;

/** What a thread answers: its gradients are in its shared buffer; the slice's figures here. Internal. */
export type GradientThreadMessage =
  | { type: 'ready' }
  | { type: 'done'; loss: number; correct: number; numTensors: number }
  | { type: 'measured'; lossSum: number; correct: number; numTensors: number }
  | { type: 'error'; message: string; stack?: string };

/** Lays tensors of `shapes` out one after the other in one float32 buffer. Internal. */
export function layOutSlots(shapes: number[][]): { slots: TensorSlot[]; totalSize: number } {
  let offset = 0;
  const slots = shapes.map((shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const slot = { shape: [...shape], offset, size };
    offset += size;
    return slot;
  });
  return { slots, totalSize: offset };
}
