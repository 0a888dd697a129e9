import type { RawImageSet } from '@mnist/data';
import { MnistError } from '@mnist/core';
import { describe, expect, it } from 'vitest';
import { GalleryFormatError } from './gallery-format-error.js';
import { decodeGallery, encodeGallery } from './gallery-format.js';

function sampleSet(count: number): RawImageSet {
  const images = new Uint8Array(count * 28 * 28);
  for (let i = 0; i < images.length; i++) images[i] = (i * 37) % 256;
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  return { images, labels, count, rows: 28, cols: 28 };
}

describe('gallery format', () => {
  it('round-trips labels and pixels in header + labels + pixels bytes', () => {
    const set = sampleSet(13);
    const bytes = encodeGallery(set);
    expect(bytes.length).toBe(12 + 13 + 13 * 784);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('MNGL');
    const decoded = decodeGallery(bytes);
    expect(decoded.count).toBe(13);
    expect([decoded.rows, decoded.cols]).toEqual([28, 28]);
    expect(Array.from(decoded.labels)).toEqual(Array.from(set.labels));
    expect(decoded.images.every((value, i) => value === set.images[i])).toBe(true);
  });

  it('reads a gallery that sits at an offset inside a larger buffer', () => {
    const bytes = encodeGallery(sampleSet(3));
    const padded = new Uint8Array(bytes.length + 5);
    padded.set(bytes, 5);
    expect(decodeGallery(padded.subarray(5)).count).toBe(3);
  });

  it('rejects a wrong magic, a wrong version, a truncated file and bad labels with a GalleryFormatError', () => {
    const bytes = encodeGallery(sampleSet(2));
    const wrongMagic = bytes.slice();
    wrongMagic[0] = 0;
    expect(() => decodeGallery(wrongMagic)).toThrow(/MNGL/);
    const wrongVersion = bytes.slice();
    wrongVersion[4] = 9;
    expect(() => decodeGallery(wrongVersion)).toThrow(/version 9/);
    expect(() => decodeGallery(bytes.subarray(0, bytes.length - 1))).toThrow(/expected 1582/);
    const badLabel = bytes.slice();
    badLabel[12] = 11;
    expect(() => decodeGallery(badLabel)).toThrow(GalleryFormatError);
    const thrown = (() => {
      try {
        decodeGallery(new Uint8Array(3));
      } catch (error) {
        return error;
      }
    })();
    expect(MnistError.isInstance(thrown)).toBe(true);
  });

  it('refuses to encode when labels or pixels are missing', () => {
    const set = sampleSet(4);
    expect(() => encodeGallery({ ...set, count: 5 })).toThrow(/need 5 labels/);
  });
});
