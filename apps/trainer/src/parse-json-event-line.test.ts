import { describe, expect, it } from 'vitest';
import { parseJsonEventLine } from './parse-json-event-line.js';

describe('parseJsonEventLine', () => {
  it('reads events of this format version and ignores every other line', () => {
    const line = '{"type":"epochEnd","formatVersion":1,"epoch":0,"valAccuracy":0.912345678}';
    expect(parseJsonEventLine(`${line}\r`)).toEqual({
      type: 'epochEnd',
      formatVersion: 1,
      epoch: 0,
      valAccuracy: 0.912345678,
    });
    for (const other of [
      '',
      'epoch 1/2  loss 0.3000  acc 90.00%  val_loss 0.2000  val_acc 91.25%',
      '{"type":"epochEnd","formatVersion":2}',
      '{"formatVersion":1}',
      '{"type":"epochEnd","formatVersion":1',
      '[1, 2]',
      'null',
    ]) {
      expect(parseJsonEventLine(other), other).toBeUndefined();
    }
  });
});
