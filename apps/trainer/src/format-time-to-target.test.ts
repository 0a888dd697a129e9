import { describe, expect, it } from 'vitest';
import { formatEpochTestLine, formatTimeToTarget } from './format-time-to-target.js';
import type { TimeToTarget } from '@mnist/pipeline';

const reached: TimeToTarget = {
  target: 0.99,
  reached: true,
  epoch: 1,
  seconds: 161.2,
  epochs: 6,
  best: { epoch: 4, accuracy: 0.9921 },
  evaluationSeconds: 19.4,
  unmeasuredEpochs: [],
};

describe('formatEpochTestLine', () => {
  it('prints the epoch, test accuracy, loss and evaluation time like the epoch line', () => {
    expect(
      formatEpochTestLine({ epoch: 1, accuracy: 0.99012, loss: 0.03121, seconds: 3.14 }, 12, 10000),
    ).toBe('epoch  2/12  test_acc 99.01%  test_loss 0.0312  3.1s on 10,000 test images');
  });
});

describe('formatTimeToTarget', () => {
  it('names the epoch (one-based) and the training time when the target was reached', () => {
    expect(formatTimeToTarget(reached)).toBe(
      'reached 99.00% test accuracy after epoch 2 in 2m41s of training',
    );
    expect(formatTimeToTarget(reached, { evaluations: true })).toBe(
      'reached 99.00% test accuracy after epoch 2 in 2m41s of training; the per-epoch test evaluations took 19s more',
    );
  });

  it('names the best epoch when the target was not reached', () => {
    const missed: TimeToTarget = {
      ...reached,
      target: 0.995,
      reached: false,
      epoch: null,
      seconds: null,
      best: { epoch: 5, accuracy: 0.987 },
    };
    expect(formatTimeToTarget(missed)).toBe(
      'did not reach 99.50% test accuracy in 6 epochs (best 98.70% after epoch 6)',
    );
    expect(formatTimeToTarget({ ...missed, epochs: 0, best: null })).toBe(
      'did not reach 99.50% test accuracy in 0 epochs (no epoch was scored on the test images)',
    );
  });

  it('says which epochs a resume from an older checkpoint left unmeasured', () => {
    expect(formatTimeToTarget({ ...reached, epoch: 2, unmeasuredEpochs: [0, 1] })).toBe(
      'reached 99.00% test accuracy after epoch 3 in 2m41s of training; epochs 1, 2 had no test evaluation (resumed from an older checkpoint)',
    );
  });
});
