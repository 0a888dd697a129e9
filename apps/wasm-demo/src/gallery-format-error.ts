import { MnistError } from '@mnist/core';

/** The gallery asset (`gallery.bin`) is not in the format `decodeGallery` reads. */
export class GalleryFormatError extends MnistError {
  override readonly name = 'GalleryFormatError';
}
