const name = 'MnistError';
// The base marker is the one every mnist-ts release has set, so errors from older copies still match.
const marker = Symbol.for('mnist-ts.error');

/** Options every mnist-ts error accepts: the underlying error, kept for debugging. */
export interface MnistErrorOptions {
  cause?: unknown;
}

/**
 * Base class of every error the mnist-ts packages throw. Subclasses name what went wrong in the
 * domain's words (`IdxFormatError`, `ModelConfigError`, ...).
 *
 * Each subclass carries its own marker symbol (`Symbol.for('mnist-ts.error.' + name)`) and a literal
 * `name`, and its `static isInstance` checks that marker through {@link MnistError.hasMarker}:
 * `SomeError.isInstance(e)` is true for that class and its subclasses only, while
 * `MnistError.isInstance(e)` is true for any mnist-ts error. Markers rather than the prototype
 * chain, so the checks hold when two copies of a package are installed side by side; literal
 * names rather than `new.target.name`, so they survive minification.
 */
export class MnistError extends Error {
  readonly [marker] = true;
  override readonly name: string = name;

  constructor(message: string, options: MnistErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }

  /** Whether `error` is any mnist-ts error, across package copies. */
  static isInstance(error: unknown): error is MnistError {
    return MnistError.hasMarker(error, marker);
  }

  /**
   * Whether `error` carries `marker` (a `Symbol.for` key, so copies of a package agree on it): the
   * one check behind every subclass's `isInstance`.
   */
  protected static hasMarker(error: unknown, marker: symbol): boolean {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
