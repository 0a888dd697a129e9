import { MnistError } from '@mnist/core';

const name = 'OutputWriteError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/** What the errno codes a write can fail with mean, in the words a user searches for. */
const REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the filesystem',
  EROFS: 'the filesystem is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'input/output error of the device',
};

/**
 * A file of the run (the checkpoint, the model, metrics.json, report.html) could not be written:
 * a full disk, a quota, a read-only or failing device. Every write is atomic, so the file it would
 * have replaced is still whole. The message names what was written, where, and the errno code
 * (`cannot write the checkpoint /out/checkpoint.ckpt: no space left on the device (ENOSPC)`); the
 * trainer adds the state of the last checkpoint and exits with status 1.
 */
export class OutputWriteError extends MnistError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** The file or folder that could not be written. */
  readonly file: string;
  /** The errno code of the failure (`ENOSPC`, ...), when it had one. */
  readonly code: string | undefined;

  /** `what` says what was being written (`the checkpoint`), `file` where. */
  constructor(what: string, file: string, cause: unknown) {
    const code = errnoCode(cause);
    const reason =
      code === undefined
        ? cause instanceof Error
          ? cause.message
          : String(cause)
        : `${REASONS[code] ?? 'failed'} (${code})`;
    super(`cannot write ${what} ${file}: ${reason}`, { cause });
    this.file = file;
    this.code = code;
  }

  /** Runs `write`, turning any failure into an `OutputWriteError` about `what` and `file`. */
  static async guard<T>(what: string, file: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (cause) {
      throw new OutputWriteError(what, file, cause);
    }
  }

  /** Whether `error` is a `OutputWriteError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is OutputWriteError {
    return MnistError.hasMarker(error, marker);
  }
}

/** The errno code of `error` or of the first error in its `cause` chain that has one. */
function errnoCode(error: unknown): string | undefined {
  for (let at = error, depth = 0; at instanceof Error && depth < 8; at = at.cause, depth++) {
    const code = (at as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
