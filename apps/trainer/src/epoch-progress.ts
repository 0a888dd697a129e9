import type { TrainingEvent } from '@mnist/train';

/** Where an epoch stands after a batch: the running means of the epoch so far, as Keras shows them. */
export interface EpochProgress {
  /** Zero-based epoch. */
  epoch: number;
  epochs: number;
  /** Batches of this epoch finished so far (1 to `batchesPerEpoch`). */
  batchesDone: number;
  batchesPerEpoch: number;
  /** Mean training loss over the epoch's images so far (not the last batch's). */
  loss: number;
  /** Fraction of the epoch's images so far that were classified right. */
  accuracy: number;
  /** Training throughput of the epoch so far, from the training loop. */
  samplesPerSecond: number;
  /** Seconds until the epoch's last batch, at the pace since the clock last (re)started. */
  etaSeconds: number;
  /**
   * True when this batch is one of the few a plain log reports: it crosses a quarter of the epoch
   * (the last batch never is: the epoch line follows it). Bars, JSON lines and plain lines all
   * report at these batches, so every output moves at the same pace.
   */
  report: boolean;
}

/**
 * Where a resumed run continues and the running sums of that epoch before its checkpoint (the
 * shape of `TrainingState`), so its progress shows the means of the whole epoch and not only of
 * the batches since the resume.
 */
export interface ResumedEpoch {
  /** Zero-based epoch the run resumes in. */
  epoch: number;
  /** Zero-based batch the run resumes at (the first one it trains). */
  batch: number;
  /** Images trained in that epoch before the checkpoint, the sum of their losses, and how many were right. */
  epochProgress: { seen: number; lossSum: number; correct: number };
}

/** Turns training events into `EpochProgress` after every batch; see `createEpochProgress`. */
export interface EpochProgressTracker {
  /**
   * Feeds one training event; returns the progress after a `batchEnd`, undefined for the others.
   * `trainStart` and `epochEnd` restart the clock the time left is measured from.
   */
  onEvent(event: TrainingEvent): EpochProgress | undefined;
  /** Restarts the clock: work between epochs (a test evaluation) must not count as training pace. */
  restartClock(): void;
}

/**
 * Tracks the epoch's running mean loss and accuracy from `batchEnd` events, which carry the last
 * batch's figures only. Batches are weighted by their size (`batchSize`, the last batch of an
 * epoch holds the rest of `trainSamples`), the same sums the training loop divides at the epoch's
 * end, so the last progress of an epoch agrees with its epoch line. `resumed` seeds the sums of
 * the epoch a resumed run starts in.
 */
export function createEpochProgress({
  batchSize,
  resumed,
  now = () => performance.now(),
}: {
  batchSize: number;
  resumed?: ResumedEpoch;
  now?: () => number;
}): EpochProgressTracker {
  let trainSamples = 0;
  let epochs = 0;
  let clockStart = now();
  let clockBatches = 0;
  let epoch = -1;
  let seen = 0;
  let lossSum = 0;
  let correct = 0;
  let nextQuarter = 1;

  const restartClock = () => {
    clockStart = now();
    clockBatches = 0;
  };

  return {
    restartClock,
    onEvent(event) {
      switch (event.type) {
        case 'trainStart':
          trainSamples = event.trainSamples;
          epochs = event.epochs;
          restartClock();
          return undefined;
        case 'epochEnd':
          restartClock();
          return undefined;
        case 'trainEnd':
          return undefined;
        case 'batchEnd':
          break;
      }
      if (event.epoch !== epoch) {
        epoch = event.epoch;
        nextQuarter = 1;
        const carried =
          resumed?.epoch === event.epoch && resumed.batch === event.batch ? resumed.epochProgress : undefined;
        seen = carried?.seen ?? 0;
        lossSum = carried?.lossSum ?? 0;
        correct = carried?.correct ?? 0;
      }
      const size = Math.min(batchSize, trainSamples - event.batch * batchSize);
      seen += size;
      lossSum += event.loss * size;
      // `accuracy` is correct / size of the batch: a whole number of images once multiplied back.
      correct += Math.round(event.accuracy * size);
      clockBatches++;

      const done = event.batch + 1;
      const total = event.batchesPerEpoch;
      const elapsed = (now() - clockStart) / 1000;
      const report = done >= (nextQuarter * total) / 4 && done < total;
      while (done >= (nextQuarter * total) / 4) nextQuarter++;
      return {
        epoch: event.epoch,
        epochs,
        batchesDone: done,
        batchesPerEpoch: total,
        loss: lossSum / seen,
        accuracy: correct / seen,
        samplesPerSecond: event.samplesPerSecond,
        etaSeconds: (elapsed / clockBatches) * (total - done),
        report,
      };
    },
  };
}
