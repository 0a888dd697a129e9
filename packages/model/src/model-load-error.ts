import { MnistError, type MnistErrorOptions } from '@mnist/core';

const name = 'ModelLoadError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/** Why a model could not be loaded, for callers that react to one case (e.g. a missing model). */
export type ModelLoadFailure =
  /** A file the model needs (`model.json` or a weights file) does not exist. */
  | 'missing-file'
  /** A file exists but could not be read or fetched. */
  | 'read-failed'
  /** `model.json` is not JSON or lacks the fields of the TensorFlow.js layers format. */
  | 'invalid-model-json'
  /** A weights path points outside the model's folder (`../`, absolute path, symlink out, ...). */
  | 'unsafe-path'
  /** A weights file is shorter or longer than the weights `model.json` declares. */
  | 'size-mismatch'
  /** The weights in the manifest do not fit the topology (missing, extra, shape or dtype). */
  | 'weights-mismatch'
  /** The topology in `model.json` does not describe a model TensorFlow.js can build. */
  | 'invalid-topology';

/** Options of a `ModelLoadError`: the file at fault and the kind of failure. */
export interface ModelLoadErrorOptions extends MnistErrorOptions {
  /** Path or URL of the file at fault. */
  file: string;
  reason: ModelLoadFailure;
}

/**
 * A saved model that cannot be loaded safely. `file` names the file at fault and `reason` says what
 * kind of failure it is; the message says both in words.
 */
export class ModelLoadError extends MnistError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** Path or URL of the file at fault. */
  readonly file: string;
  /** What kind of failure it is. */
  readonly reason: ModelLoadFailure;

  constructor(message: string, options: ModelLoadErrorOptions) {
    super(message, { cause: options.cause });
    this.file = options.file;
    this.reason = options.reason;
  }

  /** Whether `error` is a `ModelLoadError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is ModelLoadError {
    return MnistError.hasMarker(error, marker);
  }
}
