import { MnistError } from '@mnist/core';

const name = 'GradientThreadError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/**
 * A gradient thread (see `TrainingConfig.threads`) could not start or failed during a step; the
 * message says which thread and why. Training stops; `threads: 1` trains without them.
 */
export class GradientThreadError extends MnistError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** Whether `error` is a `GradientThreadError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is GradientThreadError {
    return MnistError.hasMarker(error, marker);
  }
}
