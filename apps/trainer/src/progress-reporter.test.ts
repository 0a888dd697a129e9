import { describe, expect, it } from 'vitest';
import { createProgressReporter } from './progress-reporter.js';

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  return { output: { isTTY, write: (text: string) => chunks.push(text) }, text: () => chunks.join('') };
}

function feed(reporter: ReturnType<typeof createProgressReporter>, threads?: number) {
  reporter.onEvent({
    type: 'trainStart',
    backend: 'cpu',
    threads,
    epochs: 1,
    batchesPerEpoch: 8,
    trainSamples: 450,
    validationSamples: 50,
  });
  for (let batch = 0; batch < 8; batch++) {
    reporter.onEvent({
      type: 'batchEnd',
      epoch: 0,
      batch,
      batchesPerEpoch: 8,
      loss: 2 - batch * 0.1,
      accuracy: 0.1 + batch * 0.05,
      samplesPerSecond: 1500,
    });
  }
  reporter.onEvent({
    type: 'epochEnd',
    epoch: 0,
    epochs: 1,
    loss: 1.5,
    accuracy: 0.4,
    valLoss: 1.2,
    valAccuracy: 0.55,
    seconds: 2.5,
    samplesPerSecond: 1500,
    learningRate: 0.001,
  });
  reporter.onEvent({ type: 'trainEnd', epochsRun: 1, stoppedEarly: false, bestEpoch: 0, seconds: 2.5 });
}

describe('createProgressReporter', () => {
  it('prints plain lines at each quarter and an epoch summary when not on a terminal', () => {
    const out = capture(false);
    let clock = 0;
    feed(createProgressReporter(out.output, { now: () => (clock += 100) }));
    const lines = out.text().trimEnd().split('\n');
    expect(lines[0]).toBe('training on 450 images (50 held out for validation), 1 epoch of 8 batches');
    expect(lines.slice(1, 4).map((l) => l.split('  ')[1])).toEqual(['25% (2/8)', '50% (4/8)', '75% (6/8)']);
    expect(lines[1]).toContain('loss 1.9000  acc 15.00%  1,500 img/s  eta');
    expect(lines[4]).toBe(
      'epoch 1/1  loss 1.5000  acc 40.00%  val_loss 1.2000  val_acc 55.00%  2.5s  1,500 img/s',
    );
    expect(lines[5]).toBe('trained 1 epoch in 3s');
    expect(out.text()).not.toContain('\u001b[');
  });

  it('says how many threads compute the gradients when train reports it', () => {
    for (const [threads, suffix] of [
      [2, ', 2 threads'],
      [1, ', 1 thread'],
    ] as const) {
      const out = capture(false);
      feed(createProgressReporter(out.output, { now: () => 0 }), threads);
      expect(out.text().split('\n')[0]).toBe(
        `training on 450 images (50 held out for validation), 1 epoch of 8 batches${suffix}`,
      );
    }
  });

  it('times the next epoch from a line logged between epochs, so a test evaluation does not inflate its eta', () => {
    const out = capture(false);
    let clock = 0;
    const reporter = createProgressReporter(out.output, { now: () => clock });
    reporter.onEvent({
      type: 'trainStart',
      backend: 'cpu',
      epochs: 2,
      batchesPerEpoch: 4,
      trainSamples: 256,
      validationSamples: 0,
    });
    const epoch = (e: number) => {
      for (let batch = 0; batch < 4; batch++) {
        clock += 1000;
        const stats = { loss: 1, accuracy: 0.5, samplesPerSecond: 64 };
        reporter.onEvent({ type: 'batchEnd', epoch: e, batch, batchesPerEpoch: 4, ...stats });
      }
    };
    epoch(0);
    clock += 60_000; // a slow evaluation after the epoch, then its line
    reporter.log('epoch 1/2  test_acc 90.00%');
    epoch(1);
    // One second per batch in both epochs: 3 batches left at the first quarter.
    expect(out.text().match(/eta \S+/g)).toEqual([
      'eta 3s',
      'eta 2s',
      'eta 1s',
      'eta 3s',
      'eta 2s',
      'eta 1s',
    ]);
  });

  it('draws a bar on a terminal and still ends each epoch with the summary line', () => {
    const out = capture(true);
    feed(createProgressReporter(out.output));
    expect(out.text()).toContain('epoch 1/1  loss 1.5000');
    expect(out.text()).toContain('█');
  });

  it('prints nothing when quiet', () => {
    const out = capture(false);
    feed(createProgressReporter(out.output, { quiet: true }));
    expect(out.text()).toBe('');
  });
});
