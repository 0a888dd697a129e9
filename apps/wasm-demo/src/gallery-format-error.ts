import { MnistError } from '@mnist/core';

const name = 'GalleryFormatError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/** The gallery asset (`gallery.bin`) is not in the format `decodeGallery` reads. */
export class GalleryFormatError extends MnistError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** Whether `error` is a `GalleryFormatError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is GalleryFormatError {
    return MnistError.hasMarker(error, marker);
  }
}
