import { describe, expect, it } from 'vitest';
import { createProgressReporter, drawsBar } from './progress-reporter.js';

const ESC = String.fromCharCode(27);

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  return { output: { isTTY, write: (text: string) => chunks.push(text) }, text: () => chunks.join('') };
}

// 450 training images in batches of 64: seven full batches, then 2 images. Per batch: loss 2.0,
// 1.9, ... and 10, 12, ... right out of 64 (the last batch: 1 of 2).
const SIZES = [64, 64, 64, 64, 64, 64, 64, 2];
const CORRECT = [10, 12, 14, 16, 18, 20, 22, 1];
const runningLoss = (batches: number) =>
  SIZES.slice(0, batches).reduce((sum, size, i) => sum + (2 - i * 0.1) * size, 0) /
  SIZES.slice(0, batches).reduce((a, b) => a + b);
const runningAcc = (batches: number) =>
  CORRECT.slice(0, batches).reduce((a, b) => a + b) / SIZES.slice(0, batches).reduce((a, b) => a + b);

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
      accuracy: CORRECT[batch]! / SIZES[batch]!,
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
    // The epoch's running means, as Keras shows them: not the last batch's 1.9000 and 18.75%.
    expect(runningLoss(2).toFixed(4)).toBe('1.9500');
    expect(lines[1]).toContain(`loss 1.9500  acc ${(runningAcc(2) * 100).toFixed(2)}%  1,500 img/s  eta`);
    expect(lines[1]).toContain('acc 17.19%');
    expect(lines[3]).toContain(`loss ${runningLoss(6).toFixed(4)}  acc ${(runningAcc(6) * 100).toFixed(2)}%`);
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
    // The bar draws its last state before it is cleared: the running means of the whole epoch.
    expect(out.text()).toContain(
      `loss ${runningLoss(8).toFixed(4)} acc ${(runningAcc(8) * 100).toFixed(2)}%`,
    );
  });

  it('draws no color on a terminal, with or without NO_COLOR', () => {
    for (const env of [{}, { NO_COLOR: '1' }]) {
      const out = capture(true);
      feed(createProgressReporter(out.output, { env }));
      expect(out.text()).toContain('█');
      // Cursor moves (ESC [ ... G/K, ?25l) but no SGR sequence (ESC [ ... m) that sets a color.
      expect(out.text()).not.toMatch(new RegExp(`${ESC}\\[[\\d;]*m`));
    }
  });

  it('prints plain lines on a terminal that cannot move its cursor (TERM=dumb)', () => {
    const out = capture(true);
    feed(createProgressReporter(out.output, { env: { TERM: 'dumb' }, now: () => 0 }));
    expect(out.text()).not.toContain('\u001b[');
    expect(out.text()).toContain('epoch 1  25% (2/8)');
    expect(drawsBar({ isTTY: true, write: () => true }, {})).toBe(true);
    expect(drawsBar({ isTTY: true, write: () => true }, { TERM: 'dumb' })).toBe(false);
    expect(drawsBar({ write: () => true }, { TERM: 'xterm' })).toBe(false);
  });

  it('starts a bar for an epoch a resumed run enters in mid-epoch', () => {
    const out = capture(true);
    const reporter = createProgressReporter(out.output, {
      resumed: { epoch: 0, batch: 6, epochProgress: { seen: 6 * 64, lossSum: 6 * 64, correct: 0 } },
    });
    reporter.onEvent({
      type: 'trainStart',
      backend: 'cpu',
      epochs: 1,
      batchesPerEpoch: 8,
      trainSamples: 450,
      validationSamples: 50,
    });
    for (const batch of [6, 7]) {
      const stats = { loss: 1, accuracy: CORRECT[batch]! / SIZES[batch]!, samplesPerSecond: 1500 };
      reporter.onEvent({ type: 'batchEnd', epoch: 0, batch, batchesPerEpoch: 8, ...stats });
    }
    reporter.stop();
    expect(out.text()).toContain('█');
    // 8 of 8 batches, means over the 450 images of the whole epoch (loss 1 throughout).
    expect(out.text()).toContain(`8/8 | loss 1.0000 acc ${((23 / 450) * 100).toFixed(2)}%`);
  });

  it('prints nothing when quiet', () => {
    const out = capture(false);
    feed(createProgressReporter(out.output, { quiet: true }));
    expect(out.text()).toBe('');
  });
});
