import { MnistError } from '@mnist/core';

const name = 'BenchError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/**
 * What the benchmark throws: a bad flag, a child process that failed or printed no result, two
 * sides whose models do not have the same number of parameters, or a results file it cannot write.
 */
export class BenchError extends MnistError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** Whether `error` is a `BenchError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is BenchError {
    return MnistError.hasMarker(error, marker);
  }
}
