import { describe, expect, it } from 'vitest';
import { formatMarkdownTable } from './format-table.js';

describe('formatMarkdownTable', () => {
  it('pads columns to their widest cell, labels left and figures right', () => {
    const table = formatMarkdownTable(
      ['figure', 'ours', 'theirs'],
      [
        ['training', '1,234', '5'],
        ['p95', '7', '12.5'],
      ],
    );
    expect(table.split('\n')).toEqual([
      '| figure   |  ours | theirs |',
      '|:---------|------:|-------:|',
      '| training | 1,234 |      5 |',
      '| p95      |     7 |   12.5 |',
    ]);
  });

  it('fills missing cells with blanks and keeps a minimum width of three', () => {
    expect(formatMarkdownTable(['a', 'b'], [['x']]).split('\n')).toEqual([
      '| a   |   b |',
      '|:----|----:|',
      '| x   |     |',
    ]);
  });
});
