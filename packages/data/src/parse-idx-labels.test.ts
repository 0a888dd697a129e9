import { describe, expect, it } from 'vitest';
import { IdxFormatError } from './idx-format-error.js';
import { parseIdxLabels } from './parse-idx-labels.js';
import { gzip, makeIdxImages, makeIdxLabels } from './testing/make-idx.js';

describe('parseIdxLabels', () => {
  it('parses raw and gzipped labels files', async () => {
    const labels = [5, 0, 4, 1, 9, 2];
    expect(Array.from(await parseIdxLabels(makeIdxLabels(labels), 'l'))).toEqual(labels);
    expect(Array.from(await parseIdxLabels(gzip(makeIdxLabels(labels)), 'l'))).toEqual(labels);
  });

  it('rejects a label outside 0-9, naming its index', async () => {
    const error = await parseIdxLabels(makeIdxLabels([1, 2, 10, 3]), 'bad-labels').catch((e) => e);
    expect(error).toBeInstanceOf(IdxFormatError);
    expect(error.message).toBe('bad-labels: label 2 is 10, expected a digit 0-9');
  });

  it('rejects an images file and truncated labels', async () => {
    await expect(parseIdxLabels(makeIdxImages(new Uint8Array(784), 1), 'imgs')).rejects.toThrow(
      'imgs: bad magic number 0x00000803 (that is an IDX images file), expected 0x00000801 for an IDX labels file',
    );
    await expect(parseIdxLabels(makeIdxLabels([1, 2, 3]).subarray(0, 9), 'cut')).rejects.toThrow(
      'cut: is truncated: the header announces 3 labels (11 bytes with the header) but the file holds only 9 bytes',
    );
  });
});
