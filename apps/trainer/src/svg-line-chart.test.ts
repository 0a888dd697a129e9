import { describe, expect, it } from 'vitest';
import { svgLineChart } from './svg-line-chart.js';

const ticks = (svg: string) => [...svg.matchAll(/class="tick">([^<]+)</g)].map((m) => m[1]);

describe('svgLineChart', () => {
  it('draws one polyline per series and round y ticks that cover the data without going below 0', () => {
    const svg = svgLineChart({
      title: 'Loss',
      format: String,
      series: [
        { name: 'train', color: 'red', values: [0.62, 0.2, 0.11] },
        { name: 'validation', color: 'blue', values: [0.15, 0.1, 0.08], dashed: true },
      ],
    });
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg.match(/stroke-dasharray/g)?.length).toBeGreaterThanOrEqual(1);
    const y = ticks(svg).slice(0, -3).map(Number);
    expect(y[0]).toBe(0);
    expect(y[y.length - 1]).toBeGreaterThanOrEqual(0.62);
    expect(ticks(svg).slice(-3)).toEqual(['1', '2', '3']);
  });

  it('draws points without a line for a single epoch and skips NaN values', () => {
    const svg = svgLineChart({
      title: 'Accuracy',
      format: String,
      series: [
        { name: 'train', color: 'red', values: [0.5] },
        { name: 'validation', color: 'blue', values: [Number.NaN] },
      ],
    });
    expect(svg).not.toContain('<polyline');
    expect(svg.match(/<circle/g)).toHaveLength(1);
    expect(svg).not.toContain('NaN');
  });

  it('escapes titles and series names', () => {
    const svg = svgLineChart({
      title: 'a<b',
      format: String,
      series: [{ name: '&', color: 'red', values: [1, 2] }],
    });
    expect(svg).toContain('aria-label="a&#60;b"');
    expect(svg).toContain('>&#38;</text>');
  });
});
