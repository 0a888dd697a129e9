const MARKER = Symbol.for('mnist-ts.error');

/** Options every mnist-ts error accepts: the underlying error, kept for debugging. */
export interface MnistErrorOptions {
  cause?: unknown;
}

/**
 * Base class of every error the mnist-ts packages throw. Subclasses name what went wrong in the
 * domain's words (`IdxFormatError`, `ModelConfigError`, ...).
 *
 * `MnistError.isInstance(e)` checks a marker symbol rather than the prototype chain, so the check
 * holds even when two copies of a package are installed side by side.
 */
export class MnistError extends Error {
  readonly [MARKER] = true;

  constructor(message: string, options: MnistErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }

  /** Whether `error` is any mnist-ts error, across package copies. */
  static isInstance(error: unknown): error is MnistError {
    return typeof error === 'object' && error !== null && MARKER in error;
  }
}
