import type { RawImageSet } from '@mnist/data';
import { describe, expect, it } from 'vitest';
import { pickTeachSets } from './pick-teach-sets.js';

/** A set of `count` 2x2 images whose pixels all hold the image's index, labelled index % 10. */
function numbered(count: number): RawImageSet {
  const images = new Uint8Array(count * 4);
  for (let i = 0; i < count; i++) images.fill(i, i * 4, (i + 1) * 4);
  return { images, labels: Uint8Array.from({ length: count }, (_, i) => i % 10), count, rows: 2, cols: 2 };
}

describe('pickTeachSets', () => {
  it('takes the first training images to replay and the last test images to hold back', () => {
    const { replay, heldBack } = pickTeachSets(
      { train: numbered(20), test: numbered(12) },
      { replay: 3, heldBack: 4 },
    );
    expect(replay.count).toBe(3);
    expect([...replay.images]).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    expect([...replay.labels]).toEqual([0, 1, 2]);
    expect(heldBack.count).toBe(4);
    expect([...heldBack.labels]).toEqual([8, 9, 0, 1]);
    expect(heldBack.images[0]).toBe(8);
    expect(heldBack.images.at(-1)).toBe(11);
  });

  it('refuses sizes the dataset cannot give', () => {
    expect(() =>
      pickTeachSets({ train: numbered(2), test: numbered(2) }, { replay: 3, heldBack: 1 }),
    ).toThrow(/images 0\.\.3 are not inside a set of 2/);
  });
});
