import { describe, expect, it } from 'vitest';
import { type ImageDataLike, preprocessDigit } from './preprocess-digit.js';

type Point = readonly [number, number];

/** A "2" in unit coordinates: an arc on top, a diagonal and a base line. */
const TWO: Point[][] = [
  [
    [0.1, 0.25],
    [0.25, 0.05],
    [0.55, 0.0],
    [0.8, 0.12],
    [0.82, 0.35],
    [0.6, 0.6],
    [0.05, 1.0],
    [0.95, 1.0],
  ],
];
/** A "7" with a crossbar: two strokes. */
const SEVEN: Point[][] = [
  [
    [0.0, 0.0],
    [1.0, 0.0],
    [0.45, 1.0],
  ],
  [
    [0.25, 0.5],
    [0.75, 0.5],
  ],
];

interface Placement {
  left: number;
  top: number;
  size: number;
}

/**
 * Rasterizes strokes the way a canvas does (round caps and joins, anti-aliased by 8x8 supersampling)
 * into an RGBA image: black ink on white paper, or opaque ink on transparent paper. The line width is
 * a fixed fraction of the drawing's size, so the two placements are the same drawing at two scales.
 */
function rasterize(
  strokes: Point[][],
  place: Placement,
  canvas = 280,
  paper: 'white' | 'transparent' = 'white',
): ImageDataLike {
  const radius = (0.1 * place.size) / 2;
  const segments: [Point, Point][] = [];
  for (const stroke of strokes) {
    const points = stroke.map(([x, y]): Point => [place.left + x * place.size, place.top + y * place.size]);
    for (let i = 0; i < points.length - 1; i++) segments.push([points[i]!, points[i + 1]!]);
  }
  const data = new Uint8ClampedArray(canvas * canvas * 4);
  const samples = 8;
  const near = (px: number, py: number) =>
    Math.min(...segments.map(([a, b]) => distanceToSegment(px, py, a, b)));
  for (let y = 0; y < canvas; y++) {
    for (let x = 0; x < canvas; x++) {
      // Supersample only pixels the outline passes through (a pixel's corners lie within 0.71 of its center).
      const centerDistance = near(x + 0.5, y + 0.5);
      let hits = centerDistance <= radius - 0.75 ? samples * samples : 0;
      if (Math.abs(centerDistance - radius) < 0.75) {
        for (let sy = 0; sy < samples; sy++) {
          for (let sx = 0; sx < samples; sx++) {
            if (near(x + (sx + 0.5) / samples, y + (sy + 0.5) / samples) <= radius) hits++;
          }
        }
      }
      const coverage = hits / (samples * samples);
      const i = (y * canvas + x) * 4;
      if (paper === 'white') {
        const level = Math.round(255 * (1 - coverage));
        data.set([level, level, level, 255], i);
      } else {
        data.set([0, 0, 0, Math.round(255 * coverage)], i);
      }
    }
  }
  return { data, width: canvas, height: canvas };
}

function distanceToSegment(px: number, py: number, [ax, ay]: Point, [bx, by]: Point): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

function sumAbsDiff(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum;
}

/** Shifts a 28x28 image right by one pixel (what a one-pixel centering error would do). */
function shiftRight(image: Float32Array): Float32Array {
  const out = new Float32Array(image.length);
  for (let y = 0; y < 28; y++) for (let x = 1; x < 28; x++) out[y * 28 + x] = image[y * 28 + x - 1]!;
  return out;
}

function inkBox(image: Float32Array): { width: number; height: number; cx: number; cy: number } {
  let minX = 28;
  let minY = 28;
  let maxX = -1;
  let maxY = -1;
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const v = image[y * 28 + x]!;
      if (v <= 0.02) continue;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  return { width: maxX - minX + 1, height: maxY - minY + 1, cx: mx / mass, cy: my / mass };
}

describe('preprocessDigit', () => {
  it('returns null for a blank drawing, white or transparent', () => {
    const white = new Uint8ClampedArray(40 * 40 * 4).fill(255);
    expect(preprocessDigit({ data: white, width: 40, height: 40 })).toBeNull();
    expect(preprocessDigit({ data: new Uint8ClampedArray(40 * 40 * 4), width: 40, height: 40 })).toBeNull();
  });

  it('rejects pixel data shorter than width*height*4', () => {
    expect(() => preprocessDigit({ data: new Uint8Array(10), width: 4, height: 4 })).toThrow(
      /width\*height\*4/,
    );
  });

  it('fits the digit in 20x20 keeping its aspect and puts its center of mass at the field center', () => {
    const pixels = preprocessDigit(rasterize(SEVEN, { left: 30, top: 50, size: 150 }))!;
    expect(pixels).toHaveLength(784);
    expect(Math.min(...pixels)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...pixels)).toBeLessThanOrEqual(1);
    // Full-strength ink survives the 7.5x downscale in the middle of the 1.5-pixel-wide strokes.
    expect(Math.max(...pixels)).toBeGreaterThan(0.9);
    const box = inkBox(pixels);
    // 20 pixels wide plus at most one pixel that a fractional placement spreads onto.
    expect(box.width).toBeGreaterThanOrEqual(20);
    expect(box.width).toBeLessThanOrEqual(21);
    expect(box.height).toBeLessThanOrEqual(21);
    // The area filter preserves the center of mass exactly except for the ink-threshold cut-off.
    expect(Math.abs(box.cx - 14)).toBeLessThan(0.05);
    expect(Math.abs(box.cy - 14)).toBeLessThan(0.05);
  });

  it('keeps the aspect ratio of a tall stroke: a "1" stays narrow', () => {
    const one: Point[][] = [
      [
        [0.5, 0],
        [0.5, 1],
      ],
    ];
    const pixels = preprocessDigit(rasterize(one, { left: 60, top: 40, size: 200 }))!;
    const box = inkBox(pixels);
    expect(box.height).toBeGreaterThanOrEqual(20);
    expect(box.height).toBeLessThanOrEqual(21);
    // The stroke is 0.1 of the drawing's size wide: 20/220 * 20 ~ 1.8 px, so at most 3 columns.
    expect(box.width).toBeLessThanOrEqual(3);
    expect(Math.abs(box.cx - 14)).toBeLessThan(0.05);
  });

  it('treats dark ink on white and opaque ink on transparent paper alike, and does not modify the input', () => {
    const place = { left: 40, top: 40, size: 180 };
    const white = rasterize(TWO, place);
    const copy = Uint8ClampedArray.from(white.data);
    const onWhite = preprocessDigit(white)!;
    const onTransparent = preprocessDigit(rasterize(TWO, place, 280, 'transparent'))!;
    // The two rasterizations round coverage to bytes independently, so they may differ by 1/255.
    expect(maxAbsDiff(onWhite, onTransparent)).toBeLessThanOrEqual(1 / 255);
    // Compared by hand: deep equality of 300k-element arrays takes seconds.
    expect(copy.every((value, i) => value === white.data[i])).toBe(true);
  });

  it.each([
    ['2', TWO],
    ['7', SEVEN],
  ])('gives nearly the same input for a "%s" drawn small off-center and large centered', (_, strokes) => {
    const large = preprocessDigit(rasterize(strokes, { left: 20, top: 20, size: 240 }))!;
    // Several sub-pixel positions of the small drawing, since pixel alignment is what could go wrong.
    for (const phase of [0, 0.25, 0.5, 0.75]) {
      const small = preprocessDigit(
        rasterize(strokes, { left: 12 + phase, top: 140 + phase / 2, size: 120 }),
      )!;
      // Error budget. Cropping (with a sub-pixel box), scaling and centering are one exact affine map and
      // the area filter integrates the source exactly, so for ideal rasterizations the two outputs would
      // be equal. What is left is the rasterization of the small drawing: the 8x8 supersampling puts each
      // edge within 1/16 source pixel of its true place, i.e. within (1/16) * (20/132) = 0.0095 output
      // pixels, and a pixel that two such edges cross changes by at most 2 * 0.0095, plus 1/255 for
      // byte rounding: 0.023. Bound: 0.03.
      const maxDiff = maxAbsDiff(small, large);
      expect(maxDiff).toBeLessThan(0.03);
      // In total: the outline of a 20-pixel digit drawn 2 pixels wide is ~100 output pixels long, each
      // moved at most 0.0095: about 1, which is 2-2.5% of what a one-pixel shift changes (~40-48).
      // Bound: 2.5% of the one-pixel shift, so the difference is far below any centering error.
      const oneShift = sumAbsDiff(large, shiftRight(large));
      expect(sumAbsDiff(small, large)).toBeLessThan(0.025 * oneShift);
    }
  });
});
