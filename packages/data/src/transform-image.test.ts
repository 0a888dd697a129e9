import { describe, expect, it } from 'vitest';
import { DataArgumentError } from './data-argument-error.js';
import { type ImageTransform, transformImage } from './transform-image.js';

const SIZE = 28;
const NONE: ImageTransform = { angleDegrees: 0, zoom: 1, shiftX: 0, shiftY: 0, shearDegrees: 0 };

/** A 28x28 image, 0 but for `value` at each of the (x, y) given. */
function dots(...points: [x: number, y: number, value: number][]): Float32Array {
  const image = new Float32Array(SIZE * SIZE);
  for (const [x, y, value] of points) image[y * SIZE + x] = value;
  return image;
}

/** The pixels of `image` that are not 0, as `[x, y, value]`. */
function lit(image: Float32Array, tolerance = 0): [number, number, number][] {
  const found: [number, number, number][] = [];
  image.forEach((value, i) => {
    if (Math.abs(value) > tolerance) found.push([i % SIZE, Math.floor(i / SIZE), value]);
  });
  return found;
}

function transformed(source: Float32Array, transform: Partial<ImageTransform>): Float32Array {
  const target = new Float32Array(source.length).fill(Number.NaN);
  transformImage(source, target, SIZE, SIZE, { ...NONE, ...transform });
  return target;
}

describe('transformImage', () => {
  it('moves a pixel by a whole-pixel shift exactly, and leaves 0 behind', () => {
    const out = transformed(dots([10, 10, 0.75], [0, 27, 0.5]), { shiftX: 3, shiftY: -2 });
    // (0, 27) moves to (3, 25); nothing comes in from outside the image.
    expect(lit(out)).toEqual([
      [13, 8, 0.75],
      [3, 25, 0.5],
    ]);
  });

  it('splits a pixel between two by a half-pixel shift (bilinear)', () => {
    expect(lit(transformed(dots([10, 10, 1]), { shiftX: 0.5 }))).toEqual([
      [10, 10, 0.5],
      [11, 10, 0.5],
    ]);
    expect(lit(transformed(dots([10, 10, 1]), { shiftX: 0.5, shiftY: 0.5 }))).toEqual([
      [10, 10, 0.25],
      [11, 10, 0.25],
      [10, 11, 0.25],
      [11, 11, 0.25],
    ]);
  });

  it('rotates counter-clockwise as displayed about (13.5, 13.5)', () => {
    // (20, 10) is 6.5 right of and 3.5 above the centre; a quarter turn counter-clockwise puts it
    // 6.5 above and 3.5 left of the centre: (10, 7). A half turn: 6.5 left, 3.5 below: (7, 17).
    const quarter = lit(transformed(dots([20, 10, 1]), { angleDegrees: 90 }), 1e-9);
    expect(quarter).toHaveLength(1);
    expect(quarter[0]!.slice(0, 2)).toEqual([10, 7]);
    expect(quarter[0]![2]).toBeCloseTo(1, 6);
    const half = lit(transformed(dots([20, 10, 1]), { angleDegrees: 180 }), 1e-9);
    expect(half.map(([x, y]) => [x, y])).toEqual([[7, 17]]);
    expect(half[0]![2]).toBeCloseTo(1, 6);
  });

  it('zooms and shears about the centre (a linear ramp comes out as the map says)', () => {
    // On a source whose value is its x coordinate, bilinear interpolation returns the sampled x.
    const ramp = new Float32Array(SIZE * SIZE).map((_, i) => i % SIZE);
    const zoomed = transformed(ramp, { zoom: 2 });
    // Output x samples 13.5 + (x - 13.5) / 2: x = 20 samples 16.75, x = 6 samples 9.75.
    expect(zoomed[5 * SIZE + 20]).toBeCloseTo(16.75, 5);
    expect(zoomed[5 * SIZE + 6]).toBeCloseTo(9.75, 5);
    // Shear 45 degrees: a row d below the centre moves d right, so output x samples x - d.
    const sheared = transformed(ramp, { shearDegrees: 45 });
    expect(sheared[15 * SIZE + 20]).toBeCloseTo(18.5, 5);
    expect(sheared[10 * SIZE + 20]).toBeCloseTo(23.5, 5);
  });

  it('is an exact copy for the identity, and all 0 when shifted off the image', () => {
    const source = new Float32Array(SIZE * SIZE).map((_, i) => (i * 0.37) % 1);
    expect(transformed(source, {})).toEqual(source);
    expect(lit(transformed(source, { shiftX: 28 }))).toEqual([]);
    expect(lit(transformed(source, { shiftY: -28.5 }))).toEqual([]);
  });

  it('moves each output position by its displacement before the map', () => {
    const displacement = new Float32Array(2 * SIZE * SIZE).fill(1); // every position 1 right, 1 down
    const target = new Float32Array(SIZE * SIZE);
    transformImage(dots([10, 10, 1]), target, SIZE, SIZE, NONE, displacement);
    expect(lit(target)).toEqual([[9, 9, 1]]);
  });

  it('refuses arrays that do not hold one image of the size given', () => {
    const image = new Float32Array(SIZE * SIZE);
    expect(() => transformImage(image, new Float32Array(10), SIZE, SIZE, NONE)).toThrow(DataArgumentError);
    expect(() => transformImage(image, image.slice(), 0, SIZE, NONE)).toThrow(
      /positive integers, got 0 x 28/,
    );
    expect(() => transformImage(image, image.slice(), SIZE, SIZE, NONE, new Float32Array(3))).toThrow(
      /displacement must hold 2 x 784 values/,
    );
  });
});
