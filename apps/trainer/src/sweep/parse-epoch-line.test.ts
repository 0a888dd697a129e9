import { describe, expect, it } from 'vitest';
import { formatEpochLine } from '../progress-reporter.js';
import { parseEpochLine } from './parse-epoch-line.js';

describe('parseEpochLine', () => {
  it('reads back the epoch and validation accuracy of the trainer own epoch line', () => {
    const line = formatEpochLine({
      type: 'epochEnd',
      epoch: 1,
      epochs: 12,
      loss: 0.0412,
      accuracy: 0.9871,
      valLoss: 0.0391,
      valAccuracy: 0.98853,
      seconds: 41,
      samplesPerSecond: 1317,
      learningRate: 0.001,
    });
    expect(parseEpochLine(line)).toEqual({ epoch: 1, valAccuracy: 0.9885 });
    expect(parseEpochLine(`  ${line}\r`)).toEqual({ epoch: 1, valAccuracy: 0.9885 });
  });

  it('ignores every other line, including mid-epoch progress', () => {
    expect(
      parseEpochLine('epoch 1  25% (47/188)  loss 0.3000  acc 91.00%  1,200 img/s  eta 30s'),
    ).toBeUndefined();
    expect(parseEpochLine('backend: wasm')).toBeUndefined();
    expect(parseEpochLine('')).toBeUndefined();
  });
});
