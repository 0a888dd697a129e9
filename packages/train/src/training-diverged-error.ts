import { MnistError, type MnistErrorOptions } from '@mnist/core';

const name = 'TrainingDivergedError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/**
 * The training loss or the weights became NaN or infinite (a learning rate far too high, bad
 * data): training stops at once rather than carry on with broken weights. `epoch` and `batch`
 * (zero-based) name the training step at fault; the last state handed to `onCheckpoint` before
 * it is the last good one. The weights are checked as well as the loss because the clipped
 * cross-entropy and ReLU (on some backends) can keep the loss finite over NaN weights.
 */
export class TrainingDivergedError extends MnistError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** Zero-based epoch of the step at fault. */
  readonly epoch: number;
  /** Zero-based batch of the step at fault within its epoch. */
  readonly batch: number;
  /** The step's loss: NaN or ±Infinity, or finite when only the weights broke. */
  readonly loss: number;
  /** Whether the weights were still finite after the step (only the loss was not). */
  readonly weightsFinite: boolean;

  constructor(
    epoch: number,
    batch: number,
    loss: number,
    weightsFinite: boolean,
    options: MnistErrorOptions = {},
  ) {
    const what = weightsFinite ? `the loss is ${loss}` : 'the weights became NaN or infinite';
    super(
      `training diverged: ${what} at epoch ${epoch + 1}, batch ${batch + 1} ` +
        '(a learning rate too high for this model?)',
      options,
    );
    this.epoch = epoch;
    this.batch = batch;
    this.loss = loss;
    this.weightsFinite = weightsFinite;
  }

  /** Whether `error` is a `TrainingDivergedError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is TrainingDivergedError {
    return MnistError.hasMarker(error, marker);
  }
}
