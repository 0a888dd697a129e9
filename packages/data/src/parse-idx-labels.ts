import { NUM_CLASSES } from '@mnist/core';
import { IdxFormatError } from './idx-format-error.js';
import { readIdx } from './read-idx.js';

/**
 * Parses an IDX labels file (magic `0x00000801`), raw or gzipped (detected by content), and checks
 * that every label is a digit 0-9. Returns one byte per label; throws `IdxFormatError` naming
 * `fileName` and the first bad label. Browser-safe.
 */
export async function parseIdxLabels(bytes: Uint8Array, fileName: string): Promise<Uint8Array> {
  const { data } = await readIdx(bytes, fileName, 'labels');
  for (let i = 0; i < data.length; i++) {
    if (data[i]! >= NUM_CLASSES) {
      throw new IdxFormatError(fileName, `label ${i} is ${data[i]}, expected a digit 0-${NUM_CLASSES - 1}`);
    }
  }
  return data;
}
