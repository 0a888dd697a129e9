import { describe, expect, it } from 'vitest';
import { type ImageDataLike, preprocessDigit } from './preprocess-digit.js';

// Hostile drawings: the smallest and largest inputs a user can produce on the pad. Whatever comes
// in, preprocessing must either say "no ink" (null) or hand the model 784 finite values in [0, 1]
// with the ink's center of mass at the field's center, and never throw.

/** A white canvas of `width` x `height` with the pixels `inked(x, y)` says painted black. */
function canvas(width: number, height: number, inked: (x: number, y: number) => boolean): ImageDataLike {
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!inked(x, y)) continue;
      const i = (y * width + x) * 4;
      data[i] = 0;
      data[i + 1] = 0;
      data[i + 2] = 0;
    }
  }
  return { data, width, height };
}

/** Checks what the model would receive and returns its ink mass and center of mass. */
function expectModelInput(pixels: Float32Array | null): { mass: number; cx: number; cy: number } {
  expect(pixels).not.toBeNull();
  const values = pixels!;
  expect(values.length).toBe(28 * 28);
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThanOrEqual(1);
    mass += v;
    mx += v * ((i % 28) + 0.5);
    my += v * (Math.floor(i / 28) + 0.5);
  }
  expect(mass).toBeGreaterThan(0);
  return { mass, cx: mx / mass, cy: my / mass };
}

describe('preprocessDigit on extreme drawings', () => {
  it.each([
    ['in the middle', 140, 140],
    ['in the top-left corner', 0, 0],
    ['in the bottom-right corner', 279, 279],
    ['on the right edge', 279, 3],
  ])('turns a single-pixel dot %s into a centered blob', (_, x, y) => {
    const { cx, cy } = expectModelInput(preprocessDigit(canvas(280, 280, (px, py) => px === x && py === y)));
    expect(Math.abs(cx - 14)).toBeLessThan(0.5);
    expect(Math.abs(cy - 14)).toBeLessThan(0.5);
  });

  it('keeps a faint dot just above the ink threshold, and drops one just below it', () => {
    const faint = (level: number): ImageDataLike => {
      const data = new Uint8ClampedArray(100 * 100 * 4).fill(255);
      const i = (50 * 100 + 50) * 4;
      data[i] = data[i + 1] = data[i + 2] = Math.round(255 * (1 - level));
      return { data, width: 100, height: 100 };
    };
    expectModelInput(preprocessDigit(faint(0.05)));
    expect(preprocessDigit(faint(0.01))).toBeNull();
  });

  it('fits a stroke across the whole width into the 20-pixel box, centered', () => {
    const pixels = preprocessDigit(canvas(280, 280, (_, y) => y >= 135 && y < 145));
    const { cx, cy } = expectModelInput(pixels);
    expect(Math.abs(cx - 14)).toBeLessThan(0.5);
    expect(Math.abs(cy - 14)).toBeLessThan(0.5);
    // The 280-pixel line becomes 20 output pixels wide: columns 4-23 hold ink, 0-3 and 24-27 none.
    const column = (u: number) =>
      Array.from({ length: 28 }, (_, v) => pixels![v * 28 + u]!).reduce((a, b) => a + b);
    for (let u = 0; u < 28; u++) {
      if (u >= 4 && u < 24) expect(column(u), `column ${u}`).toBeGreaterThan(0);
      else expect(column(u), `column ${u}`).toBe(0);
    }
  });

  it('handles a stroke along the full diagonal and a fully inked canvas', () => {
    const diagonal = expectModelInput(preprocessDigit(canvas(280, 280, (x, y) => Math.abs(x - y) < 6)));
    expect(Math.abs(diagonal.cx - 14)).toBeLessThan(0.5);
    expect(Math.abs(diagonal.cy - 14)).toBeLessThan(0.5);
    const full = preprocessDigit(canvas(280, 280, () => true));
    const { mass } = expectModelInput(full);
    // A solid canvas becomes a solid 20x20 square: 400 pixels of full ink.
    expect(mass).toBeCloseTo(400, 3);
  });

  it('copes with degenerate canvas sizes', () => {
    expect(preprocessDigit({ data: new Uint8ClampedArray(0), width: 0, height: 0 })).toBeNull();
    expectModelInput(preprocessDigit(canvas(1, 1, () => true)));
    expectModelInput(preprocessDigit(canvas(600, 3, () => true)));
    expectModelInput(preprocessDigit(canvas(2, 500, (x) => x === 1)));
  });
});
