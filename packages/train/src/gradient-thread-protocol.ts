import type { BackendName } from './backend-types.js';

/** Where one tensor's values sit in a shared `Float32Array`: `[offset, offset + size)`. Internal. */
export interface TensorSlot {
  shape: number[];
  offset: number;
  size: number;
}

/** What a gradient thread is started with (its `workerData`). Internal. */
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
}

/** One slice of a batch to compute gradients for. Internal. */
export interface GradientStepRequest {
  type: 'step';
  /** Images `[size, rows, cols, 1]`, flattened. */
  xs: Float32Array;
  /** One-hot labels `[size, classes]`, flattened. */
  ys: Float32Array;
  size: number;
  /** Seeds this slice's dropout masks, with `seed`, `epoch` and `batch`. */
  shard: number;
  seed: number;
  epoch: number;
  batch: number;
}

/** A slice of a set to measure in inference mode with the published weights. Internal. */
export interface MeasureRequest {
  type: 'measure';
  /** Images `[count, rows, cols]`, normalized, flattened. */
  images: Float32Array;
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
}

/** What a thread is asked to do. Internal. */
export type GradientThreadRequest = GradientStepRequest | MeasureRequest;

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
