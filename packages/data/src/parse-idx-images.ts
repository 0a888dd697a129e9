import { readIdx } from './read-idx.js';

/** Images decoded from an IDX images file: `count * rows * cols` bytes, row-major, 0 = background. */
export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  images: Uint8Array;
}

/**
 * Parses an IDX images file (magic `0x00000803`), raw or gzipped (detected by content). Checks the
 * magic number, the 28x28 dimensions and that the data length matches the header exactly, and
 * throws `IdxFormatError` naming `fileName` otherwise. Browser-safe.
 */
export async function parseIdxImages(bytes: Uint8Array, fileName: string): Promise<IdxImages> {
  const { dims, data } = await readIdx(bytes, fileName, 'images');
  return { count: dims[0]!, rows: dims[1]!, cols: dims[2]!, images: data };
}
