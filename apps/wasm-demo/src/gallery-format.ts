import type { RawImageSet } from '@mnist/data';
import { GalleryFormatError } from './gallery-format-error.js';

const MAGIC = [0x4d, 0x4e, 0x47, 0x4c]; // "MNGL"
const VERSION = 1;
const HEADER_BYTES = 12;

/**
 * Packs labelled images into the gallery asset the demo ships: a 12-byte header (`MNGL`, version,
 * rows, cols, a reserved byte, image count as uint32 little-endian), the labels (one byte each),
 * then the pixels (one byte each, row-major). Byte pixels are what MNIST stores, so nothing is lost,
 * and the file gzips to a fraction of its size on the wire.
 */
export function encodeGallery(set: RawImageSet): Uint8Array {
  const pixels = set.count * set.rows * set.cols;
  if (set.labels.length < set.count || set.images.length < pixels) {
    throw new GalleryFormatError(
      `encodeGallery: ${set.count} images of ${set.rows}x${set.cols} need ${set.count} labels and ${pixels} ` +
        `pixels; got ${set.labels.length} and ${set.images.length}`,
    );
  }
  if (set.rows > 255 || set.cols > 255) {
    throw new GalleryFormatError(`encodeGallery: images of ${set.rows}x${set.cols} exceed 255x255`);
  }
  const bytes = new Uint8Array(HEADER_BYTES + set.count + pixels);
  bytes.set(MAGIC, 0);
  bytes[4] = VERSION;
  bytes[5] = set.rows;
  bytes[6] = set.cols;
  new DataView(bytes.buffer).setUint32(8, set.count, true);
  bytes.set(set.labels.subarray(0, set.count), HEADER_BYTES);
  bytes.set(set.images.subarray(0, pixels), HEADER_BYTES + set.count);
  return bytes;
}

/**
 * Reads a gallery asset written by `encodeGallery`.
 *
 * @throws GalleryFormatError naming what is wrong (magic, version, size).
 */
export function decodeGallery(bytes: Uint8Array): RawImageSet {
  if (bytes.length < HEADER_BYTES || MAGIC.some((value, i) => bytes[i] !== value)) {
    throw new GalleryFormatError('gallery.bin: not a gallery file (expected it to start with "MNGL")');
  }
  if (bytes[4] !== VERSION) {
    throw new GalleryFormatError(`gallery.bin: version ${bytes[4]}, expected ${VERSION}`);
  }
  const rows = bytes[5]!;
  const cols = bytes[6]!;
  const count = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  const expected = HEADER_BYTES + count + count * rows * cols;
  if (bytes.length !== expected) {
    throw new GalleryFormatError(
      `gallery.bin: ${bytes.length} bytes, expected ${expected} for ${count} images of ${rows}x${cols}`,
    );
  }
  const labels = bytes.slice(HEADER_BYTES, HEADER_BYTES + count);
  if (labels.some((label) => label > 9)) {
    throw new GalleryFormatError('gallery.bin: a label is outside 0-9');
  }
  return { labels, images: bytes.slice(HEADER_BYTES + count), count, rows, cols };
}
