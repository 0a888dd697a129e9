import { describe, expect, it } from 'vitest';
import { decodeImageSet } from './decode-image-set.js';
import { IdxFormatError } from './idx-format-error.js';
import { makeIdxImages, makeIdxLabels, patternImages } from './testing/make-idx.js';

describe('decodeImageSet', () => {
  it('pairs images with their labels', async () => {
    const set = await decodeImageSet(
      { bytes: makeIdxImages(patternImages(2), 2), fileName: 'i' },
      { bytes: makeIdxLabels([3, 8]), fileName: 'l' },
    );
    expect(set.count).toBe(2);
    expect(Array.from(set.labels)).toEqual([3, 8]);
    expect(set.images.length).toBe(2 * 784);
  });

  it('rejects image and label counts that differ, naming both files', async () => {
    const error = await decodeImageSet(
      { bytes: makeIdxImages(patternImages(2), 2), fileName: 'imgs' },
      { bytes: makeIdxLabels([3, 8, 1]), fileName: 'lbls' },
    ).catch((e) => e);
    expect(error).toBeInstanceOf(IdxFormatError);
    expect(error.message).toBe('imgs: holds 2 images but lbls holds 3 labels; expected one label per image');
  });
});
