import { MnistError } from '@mnist/core';

const name = 'TrainMnistOptionsError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/**
 * An option of `trainMnist` that cannot describe a run: a limit that is not a positive integer, a
 * target accuracy outside (0, 1], an in-memory dataset whose parts are not MNIST image sets. The
 * message names the option and the value.
 */
export class TrainMnistOptionsError extends MnistError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** Whether `error` is a `TrainMnistOptionsError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is TrainMnistOptionsError {
    return MnistError.hasMarker(error, marker);
  }
}
