import { describe, expect, it } from 'vitest';
import { svgStripChart } from './svg-strip-chart.js';

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;

describe('svgStripChart', () => {
  const svg = svgStripChart({
    title: 'kernelSize',
    categories: ['3', '5'],
    points: [
      { category: '3', value: 0.9317, tooltip: 'a' },
      { category: '3', value: 0.9517, tooltip: 'b' },
      { category: '5', value: 0.9583, tooltip: 'c <best>', highlight: true },
      { category: '7', value: 0.5, tooltip: 'not a category' },
    ],
    format: pct,
  });

  it('draws one dot per point of a listed category, the highlighted one marked, and a mean bar per column', () => {
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg.match(/class="dot best"/g)).toHaveLength(1);
    expect(svg).toContain('<title>c &#60;best&#62;</title>');
    expect(svg).not.toContain('not a category');
    expect(svg.match(/class="mean"/g)).toHaveLength(2);
    expect(svg).toContain('<title>mean 94.17%</title>');
  });

  it('labels the value axis with round ticks that cover every value', () => {
    const ticks = [...svg.matchAll(/text-anchor="end" class="tick">([\d.]+)%</g)].map((m) => Number(m[1]));
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(Math.min(...ticks)).toBeLessThanOrEqual(93.17);
    expect(Math.max(...ticks)).toBeGreaterThanOrEqual(95.83);
    // Evenly spaced by 1 percentage point here (93-96%): a round step, not a quarter of the raw range.
    const steps = ticks.slice(1).map((t, i) => Number((t - ticks[i]!).toFixed(6)));
    expect(new Set(steps)).toEqual(new Set([1]));
  });
});
