import { MnistError, type MnistErrorOptions } from '@mnist/core';

const name = 'MetricsInputError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/**
 * Thrown when a metric gets inputs it cannot score: arrays of different lengths, a label that is
 * not an integer in `[0, numClasses)`, a probability matrix whose size is not `n × numClasses`, a
 * non-finite probability, or a bad `numClasses`, `k` or `digits`. `argument` names the offending
 * parameter (`'yTrue'`, `'probabilities'`, ...); the message says what was expected and what came.
 */
export class MetricsInputError extends MnistError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** Name of the parameter that was rejected, as spelled in the function's signature. */
  readonly argument: string;

  constructor(argument: string, message: string, options: MnistErrorOptions = {}) {
    super(message, options);
    this.argument = argument;
  }

  /** Whether `error` is a `MetricsInputError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is MetricsInputError {
    return MnistError.hasMarker(error, marker);
  }
}
