import { describe, expect, it } from 'vitest';
import { renderSweepHtml } from './render-sweep-html.js';
import type { SweepFile, TrialRecord } from './sweep-types.js';

const trial = (
  id: string,
  params: TrialRecord['params'],
  valAccuracy: number | null,
  status: TrialRecord['status'] = 'done',
): TrialRecord => ({
  id,
  params,
  status,
  valAccuracy,
  bestEpoch: valAccuracy === null ? null : 1,
  epochsRun: valAccuracy === null ? 0 : 2,
  seconds: 60,
  ...(status === 'failed' ? { error: 'boom <script>' } : {}),
});

const sweep: SweepFile = {
  formatVersion: 1,
  objective: 'valAccuracy',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T01:00:00.000Z',
  space: { convLayers: [2, 3], dropout: [0.25, 0.5] },
  search: { kind: 'grid' },
  settings: { epochs: 2, seed: 42, trainLimit: 6000 },
  parallel: 2,
  best: null,
  trials: [
    trial('aaaaaaaaaaaa', { convLayers: 2, dropout: 0.25 }, 0.981),
    trial('bbbbbbbbbbbb', { convLayers: 3, dropout: 0.25 }, 0.9912),
    trial('cccccccccccc', { convLayers: 2, dropout: 0.5 }, null, 'failed'),
    trial('dddddddddddd', { convLayers: 3, dropout: 0.5 }, 0.985),
  ],
};

describe('renderSweepHtml', () => {
  const html = renderSweepHtml(sweep);

  it('is one self-contained page: no script, no external resource', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|src=|href=|@import|url\(/i);
  });

  it('draws one strip chart per searched parameter with a dot per scored trial, the best highlighted', () => {
    expect(html.match(/<svg class="strip"/g)).toHaveLength(2);
    expect(html).toContain('aria-label="convLayers"');
    expect(html).toContain('aria-label="dropout"');
    // 3 scored trials in each of the 2 charts; exactly one highlighted dot per chart.
    expect(html.match(/<circle /g)).toHaveLength(6);
    expect(html.match(/class="dot best"/g)).toHaveLength(2);
    expect(html).toContain('bbbbbbbbbbbb: convLayers=3 dropout=0.25: 99.12%');
  });

  it('lists the trials sorted by validation accuracy, unscored ones last, with errors escaped', () => {
    const order = ['bbbbbbbbbbbb', 'dddddddddddd', 'aaaaaaaaaaaa', 'cccccccccccc'].map((id) =>
      html.indexOf(`<td class="id">${id}`),
    );
    expect(order.every((pos) => pos > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).toMatch(/<tr class="best"><td>1<\/td><td class="id">bbbbbbbbbbbb/);
    expect(html).toContain('title="boom &#60;script&#62;"');
    expect(html).toContain('Best: <b>99.12%</b>');
    expect(html).toContain('first 6,000 training images');
    expect(html).not.toMatch(/test accuracy/i);
  });

  it('charts only parameters that take more than one value', () => {
    const fixed = renderSweepHtml({
      ...sweep,
      space: { ...sweep.space, filters: [8] },
      trials: sweep.trials.map((t) => ({ ...t, params: { ...t.params, filters: 8 } })),
    });
    expect(fixed.match(/<svg class="strip"/g)).toHaveLength(2);
    expect(fixed).not.toContain('aria-label="filters"');
    expect(fixed).toContain('<th>filters</th>');
  });

  it('says so when no trial has finished', () => {
    const empty = renderSweepHtml({
      ...sweep,
      trials: [trial('eeeeeeeeeeee', { convLayers: 2, dropout: 0.25 }, null, 'pending')],
    });
    expect(empty).toContain('No trial has finished yet.');
    expect(empty).not.toContain('<circle');
  });
});
