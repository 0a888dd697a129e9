/**
 * The CNN's architecture. Every field is optional in user input (see `ModelConfigInput`); the
 * defaults are the best parameters known for MNIST: 3 conv layers, 3x3 kernels, dropout 0.25.
 */
export interface ModelConfig {
  /** Number of convolution layers (each conv + ReLU, optionally batch-normalized). */
  convLayers: number;
  /** Filters per conv layer; one number for all layers or one per layer. */
  filters: number | number[];
  /** Square kernel size of every conv layer. */
  kernelSize: number;
  /** Zero-based indices of the conv layers followed by a 2x2 max-pool. */
  poolAfter: number[];
  /** Dropout rate after the conv stack and after the dense layer, in [0, 1). */
  dropout: number;
  /** Units of the hidden dense layer before the 10-way softmax; 0 for none. */
  denseUnits: number;
  /** Batch normalization after every conv layer. */
  batchNorm: boolean;
  /**
   * Standardization built into the model as its first layer (`(x - mean) / std`), so a saved model
   * takes pixels in [0,1] and needs no preprocessing that lives elsewhere. `null` for none.
   */
  inputNormalization: { mean: number; std: number } | null;
}

/** A partial model config as a user writes it; missing fields take the defaults. */
export type ModelConfigInput = Partial<ModelConfig>;

/** Size of a model: trainable parameters and multiply-accumulate FLOPs for one 28x28 image. */
export interface ModelSummary {
  parameters: number;
  flopsPerImage: number;
  layers: { name: string; className: string; outputShape: (number | null)[]; parameters: number }[];
}

/** One image's prediction: the most likely digit and all ten class probabilities. */
export interface DigitPrediction {
  digit: number;
  probabilities: number[];
}
