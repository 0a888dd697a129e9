import { IMAGE_SIZE } from '@mnist/core';
import { gunzip, isGzip } from './gunzip.js';
import { IdxFormatError } from './idx-format-error.js';

/** Magic number of an IDX file of unsigned bytes with three dimensions (images). */
export const IDX_IMAGES_MAGIC = 0x00000803;
/** Magic number of an IDX file of unsigned bytes with one dimension (labels). */
export const IDX_LABELS_MAGIC = 0x00000801;

/** What kind of IDX file a parser expects. */
export type IdxKind = 'images' | 'labels';

/** An IDX file's dimensions and its data bytes (after the header). */
export interface IdxContents {
  dims: number[];
  data: Uint8Array;
}

const SPECS = {
  images: { magic: IDX_IMAGES_MAGIC, ndim: 3, other: 'labels' },
  labels: { magic: IDX_LABELS_MAGIC, ndim: 1, other: 'images' },
} as const;

const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;

/** Length in bytes of the header of an IDX file of this kind: magic plus one uint32 per dimension. */
export function idxHeaderLength(kind: IdxKind): number {
  return 4 + 4 * SPECS[kind].ndim;
}

/**
 * Checks an IDX header (magic number, dimensions) and returns the dimensions and the total file
 * length they imply. Throws `IdxFormatError` naming the file and the faulty field.
 */
export function checkIdxHeader(
  head: Uint8Array,
  fileName: string,
  kind: IdxKind,
): { dims: number[]; totalLength: number } {
  const spec = SPECS[kind];
  const headerLength = idxHeaderLength(kind);
  if (head.length < 4) {
    throw new IdxFormatError(
      fileName,
      `is truncated: ${head.length} bytes, too short for the ${headerLength}-byte IDX ${kind} header`,
    );
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const magic = view.getUint32(0);
  if (magic !== spec.magic) {
    const hint =
      magic === SPECS[spec.other].magic
        ? ` (that is an IDX ${spec.other} file)`
        : head[0] === 0x1f && head[1] === 0x8b
          ? ' (gzip inside gzip?)'
          : '';
    throw new IdxFormatError(
      fileName,
      `bad magic number ${hex(magic)}${hint}, expected ${hex(spec.magic)} for an IDX ${kind} file`,
    );
  }
  if (head.length < headerLength) {
    throw new IdxFormatError(
      fileName,
      `is truncated: ${head.length} bytes, too short for the ${headerLength}-byte IDX ${kind} header`,
    );
  }
  const dims: number[] = [];
  for (let i = 0; i < spec.ndim; i++) dims.push(view.getUint32(4 + 4 * i));
  if (kind === 'images') {
    const rows = dims[1]!;
    const cols = dims[2]!;
    if (rows !== IMAGE_SIZE || cols !== IMAGE_SIZE) {
      throw new IdxFormatError(
        fileName,
        `unexpected image dimensions ${rows}x${cols}, expected ${IMAGE_SIZE}x${IMAGE_SIZE} (MNIST)`,
      );
    }
  }
  // Plain number arithmetic is exact here: at most 2^32 * 28 * 28 < 2^53.
  const dataLength = dims.reduce((a, b) => a * b, 1);
  return { dims, totalLength: headerLength + dataLength };
}

/**
 * Reads an IDX file of the given kind from raw or gzipped bytes (detected by the gzip magic number,
 * never by file name) and checks it completely: header, dimensions and exact data length. The
 * claimed size is checked against the bytes at hand before anything of that size is allocated.
 * For raw input the returned `data` is a view over `bytes`.
 */
export async function readIdx(bytes: Uint8Array, fileName: string, kind: IdxKind): Promise<IdxContents> {
  const headerLength = idxHeaderLength(kind);
  const plain = isGzip(bytes)
    ? await gunzip(bytes, fileName, headerLength, (head) => checkIdxHeader(head, fileName, kind).totalLength)
    : bytes;
  const { dims, totalLength } = checkIdxHeader(plain, fileName, kind);
  const what = kind === 'images' ? `${dims[0]} images of ${dims[1]}x${dims[2]}` : `${dims[0]} labels`;
  if (plain.length < totalLength) {
    throw new IdxFormatError(
      fileName,
      `is truncated: the header announces ${what} (${totalLength} bytes with the header) but the ${
        plain === bytes ? 'file' : 'decompressed file'
      } holds only ${plain.length} bytes`,
    );
  }
  if (plain.length > totalLength) {
    throw new IdxFormatError(
      fileName,
      `has ${plain.length - totalLength} bytes of trailing data after the ${what} its header announces`,
    );
  }
  return { dims, data: plain.subarray(headerLength) };
}
