import type { GradientThreads } from './gradient-threads.js';
import type { Range } from './split-range.js';

/** This thread's result, and the helpers' still on their way. */
export interface FannedOut<Own, Theirs> {
  own: Own;
  /** One result per helper, in the order of the ranges; never an unhandled rejection. */
  theirs: Promise<Theirs[]>;
}

/**
 * Runs one job cut into contiguous `ranges` across the pool and this thread: publishes the weights,
 * sends ranges 1.. to helper threads 0.. (`remote`), then computes range 0 here (`own`) while they
 * work. The one fan-out of both the training step and measuring a set. The caller awaits `theirs`
 * and releases what `own` made either way. Internal.
 */
export async function fanOut<Own, Theirs>(
  pool: GradientThreads,
  ranges: Range[],
  remote: (thread: number, range: Range) => Promise<Theirs>,
  own: (range: Range) => Own | Promise<Own>,
): Promise<FannedOut<Own, Theirs>> {
  pool.publishWeights();
  const theirs = Promise.all(ranges.slice(1).map((range, thread) => remote(thread, range)));
  // Awaited by the caller after this thread's part; a failure meanwhile must not count as unhandled.
  theirs.catch(() => undefined);
  return { own: await own(ranges[0]!), theirs };
}
