import { MnistError, type MnistErrorOptions } from '@mnist/core';

const name = 'EvaluationInputError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/**
 * `evaluateModel` was given something it cannot score: an option that is not a whole number in
 * range (`batchSize`, `misclassified`), an image set that is empty, inconsistent (labels or pixels
 * that do not match its count) or of another image size than the model takes, or a model without
 * one 10-way output. `argument` names the culprit; the message says what was expected and what
 * came.
 */
export class EvaluationInputError extends MnistError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** The rejected argument: `'set'`, `'model'`, `'options.batchSize'` or `'options.misclassified'`. */
  readonly argument: string;

  constructor(argument: string, message: string, options: MnistErrorOptions = {}) {
    super(message, options);
    this.argument = argument;
  }

  /** Whether `error` is an `EvaluationInputError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is EvaluationInputError {
    return MnistError.hasMarker(error, marker);
  }
}
