import { MnistError, type MnistErrorOptions } from '@mnist/core';
import { DataArgumentError } from './data-argument-error.js';

const name = 'AugmentationConfigError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/**
 * Thrown by `checkAugmentationConfig` (and so by `augmentImageSet`) for an augmentation config
 * field that is missing, unknown or out of range. The message names the field
 * (`augmentation.rotationDegrees`, ...), what it accepts and what it got; `field` holds the name.
 */
export class AugmentationConfigError extends DataArgumentError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** The dotted name of the bad field, e.g. `augmentation.elastic.sigma`. */
  readonly field: string;

  constructor(field: string, message: string, options: MnistErrorOptions = {}) {
    super(message, options);
    this.field = field;
  }

  /** Whether `error` is an `AugmentationConfigError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is AugmentationConfigError {
    return MnistError.hasMarker(error, marker);
  }
}
