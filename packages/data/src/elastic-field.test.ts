import { describe, expect, it } from 'vitest';
import { createRng } from './create-rng.js';
import { createElasticField, gaussianBoxes, smoothField } from './elastic-field.js';

describe('the elastic field', () => {
  it('box widths are odd and their spread is within 10% of the Gaussian asked for, from sigma 2 on', () => {
    // Below 2 pixels odd widths are coarse steps (sigma 1 comes out as 0.82).
    for (const sigma of [2, 3, 4, 6, 8]) {
      const boxes = gaussianBoxes(sigma);
      expect(boxes).toHaveLength(3);
      for (const w of boxes) expect(w % 2).toBe(1);
      // A box of width w has variance (w^2 - 1) / 12; the cascade's variances add.
      const variance = boxes.reduce((sum, w) => sum + (w * w - 1) / 12, 0);
      expect(Math.abs(Math.sqrt(variance) - sigma) / sigma).toBeLessThan(0.1);
    }
    expect(gaussianBoxes(4)).toEqual([7, 7, 9]);
  });

  it('smooths an impulse into a normalized, symmetric bump of the right spread', () => {
    const rows = 41;
    const cols = 41;
    const values = new Float64Array(rows * cols);
    values[20 * cols + 20] = 1;
    smoothField(values, new Float64Array(rows * cols), rows, cols, gaussianBoxes(4), 2);
    let total = 0;
    let spread = 0;
    values.forEach((v, i) => {
      total += v;
      spread += v * ((i % cols) - 20) ** 2;
    });
    expect(total).toBeCloseTo(2, 10);
    expect(Math.sqrt(spread / total)).toBeCloseTo(Math.sqrt((48 + 48 + 80) / 12), 6);
    expect(values[20 * cols + 15]).toBeCloseTo(values[20 * cols + 25]!, 12);
    expect(values[15 * cols + 20]).toBeCloseTo(values[20 * cols + 15]!, 12);
  });

  it('treats the world beyond the image as 0 (a constant field fades at the edges only)', () => {
    const values = new Float64Array(28 * 28).fill(1);
    smoothField(values, new Float64Array(28 * 28), 28, 28, [3, 3, 3], 1);
    expect(values[14 * 28 + 14]).toBeCloseTo(1, 12);
    expect(values[0]).toBeLessThan(0.6);
  });

  it('draws the same field from the same generator, and displacements of about the size alpha sets', () => {
    const elastic = createElasticField({ alpha: 34, sigma: 4 }, 28, 28);
    const first = elastic.draw(createRng(3)).slice();
    expect(elastic.draw(createRng(3))).toEqual(first);
    expect(elastic.draw(createRng(4))).not.toEqual(first);
    // Uniform noise of variance 1/3 through a kernel with sum of squares s has std sqrt(s / 3).
    const rms = Math.sqrt(first.reduce((sum, v) => sum + v * v, 0) / first.length);
    expect(rms).toBeGreaterThan(0.3);
    expect(rms).toBeLessThan(3);
  });
});
