import { describe, expect, it } from 'vitest';
import { IdxFormatError } from './idx-format-error.js';
import { parseIdxImages } from './parse-idx-images.js';
import { gzip, makeIdxImages, makeIdxLabels, patternImages } from './testing/make-idx.js';

const pixels = patternImages(3);

describe('parseIdxImages', () => {
  it('parses a raw IDX images file', async () => {
    const parsed = await parseIdxImages(makeIdxImages(pixels, 3), 'a');
    expect(parsed).toMatchObject({ count: 3, rows: 28, cols: 28 });
    expect(parsed.images).toEqual(pixels);
  });

  it('detects gzip by content, whatever the file name says', async () => {
    const zipped = gzip(makeIdxImages(pixels, 3));
    const fromPlainName = await parseIdxImages(zipped, 'train-images-idx3-ubyte');
    expect(fromPlainName.images).toEqual(pixels);
    const rawWithGzName = await parseIdxImages(makeIdxImages(pixels, 3), 'train-images-idx3-ubyte.gz');
    expect(rawWithGzName.images).toEqual(pixels);
  });

  it('rejects a labels file with a bad-magic error naming the file', async () => {
    const error = await parseIdxImages(makeIdxLabels([1, 2]), 'x/labels').catch((e) => e);
    expect(error).toBeInstanceOf(IdxFormatError);
    expect(error.fileName).toBe('x/labels');
    expect(error.message).toBe(
      'x/labels: bad magic number 0x00000801 (that is an IDX labels file), expected 0x00000803 for an IDX images file',
    );
  });

  it('rejects random bytes with a bad-magic error', async () => {
    await expect(parseIdxImages(new Uint8Array([1, 2, 3, 4, 5]), 'junk')).rejects.toThrow(
      'junk: bad magic number 0x01020304, expected 0x00000803 for an IDX images file',
    );
  });

  it('rejects a truncated header', async () => {
    const head = makeIdxImages(pixels, 3).subarray(0, 10);
    await expect(parseIdxImages(head, 'short')).rejects.toThrow(
      'short: is truncated: 10 bytes, too short for the 16-byte IDX images header',
    );
    await expect(parseIdxImages(new Uint8Array(0), 'empty')).rejects.toBeInstanceOf(IdxFormatError);
  });

  it('rejects truncated data, raw and gzipped', async () => {
    const cut = makeIdxImages(pixels, 3).subarray(0, 16 + 784 * 2 + 5);
    const expected =
      'is truncated: the header announces 3 images of 28x28 (2368 bytes with the header) but the';
    await expect(parseIdxImages(cut, 'cut')).rejects.toThrow(`cut: ${expected} file holds only 1589 bytes`);
    await expect(parseIdxImages(gzip(cut), 'cut.gz')).rejects.toThrow(
      `cut.gz: ${expected} decompressed file holds only 1589 bytes`,
    );
  });

  it('fails fast on a header claiming far more data than the file holds', async () => {
    // 2^32-1 images would be 3.3 TB: the check must come before any allocation of that size.
    const lying = makeIdxImages(pixels.subarray(0, 784), 0xffffffff);
    const error = await parseIdxImages(lying, 'liar').catch((e) => e);
    expect(error).toBeInstanceOf(IdxFormatError);
    expect(error.message).toBe(
      'liar: is truncated: the header announces 4294967295 images of 28x28 (3367254359296 bytes with the header) but the file holds only 800 bytes',
    );
    // gzipped, the bound is what deflate (at most ~1032:1) could possibly expand the file to.
    await expect(parseIdxImages(gzip(lying), 'liar.gz')).rejects.toThrow(
      /^liar\.gz: is truncated: the header announces 3367254359296 bytes but \d+ gzipped bytes cannot hold more than \d+$/,
    );
  });

  it('rejects trailing data after what the header announces', async () => {
    const long = makeIdxImages(pixels, 2); // header says 2, data holds 3 images
    await expect(parseIdxImages(long, 'long')).rejects.toThrow(
      'long: has 784 bytes of trailing data after the 2 images of 28x28 its header announces',
    );
    await expect(parseIdxImages(gzip(long), 'long.gz')).rejects.toThrow(
      'long.gz: decompresses to more than the 1584 bytes its header announces (trailing data)',
    );
  });

  it('rejects dimensions other than 28x28', async () => {
    const big = makeIdxImages(new Uint8Array(32 * 32), 1, 32, 32);
    await expect(parseIdxImages(big, 'big')).rejects.toThrow(
      'big: unexpected image dimensions 32x32, expected 28x28 (MNIST)',
    );
    await expect(parseIdxImages(gzip(big), 'big.gz')).rejects.toThrow(
      /big.gz: unexpected image dimensions 32x32/,
    );
  });

  it('rejects a broken gzip stream', async () => {
    const zipped = gzip(makeIdxImages(pixels, 3));
    const broken = zipped.slice(0, 40);
    const error = await parseIdxImages(broken, 'broken.gz').catch((e) => e);
    expect(error).toBeInstanceOf(IdxFormatError);
    expect(error.message).toMatch(/^broken\.gz: (is not a valid gzip stream|is truncated)/);
    const garbage = new Uint8Array([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0xff]);
    await expect(parseIdxImages(garbage, 'garbage.gz')).rejects.toThrow(
      /^garbage\.gz: is not a valid gzip stream/,
    );
  });
});
