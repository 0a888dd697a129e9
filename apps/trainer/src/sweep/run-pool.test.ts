import { describe, expect, it } from 'vitest';
import { runPool } from './run-pool.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tracker() {
  let running = 0;
  let peak = 0;
  const started: number[] = [];
  return {
    started,
    get peak() {
      return peak;
    },
    async work(index: number, ms: number) {
      started.push(index);
      running++;
      peak = Math.max(peak, running);
      await tick(ms);
      running--;
    },
  };
}

describe('runPool', () => {
  it('never runs more than the limit at once, yet reaches it, and runs every item once in order', async () => {
    for (const limit of [1, 2, 3]) {
      const t = tracker();
      const items = Array.from({ length: 9 }, (_, i) => i);
      // Uneven durations so that lanes free up at different times.
      await runPool(items, limit, (i) => t.work(i, 2 + ((i * 7) % 5)));
      expect(t.peak).toBe(limit);
      expect(t.started).toEqual(items);
    }
  });

  it('starts nothing new after the signal aborts and lets running items finish', async () => {
    const controller = new AbortController();
    const finished: number[] = [];
    await runPool(
      [0, 1, 2, 3, 4, 5],
      2,
      async (i) => {
        if (i === 2) controller.abort();
        await tick(3);
        finished.push(i);
      },
      controller.signal,
    );
    expect(finished.sort()).toEqual([0, 1, 2]);
  });

  it('rethrows the first error after the running items end, starting no more', async () => {
    const started: number[] = [];
    let endedAfterFailure = false;
    const run = runPool([0, 1, 2, 3, 4], 2, async (i) => {
      started.push(i);
      if (i === 0) throw new Error('boom');
      await tick(5);
      endedAfterFailure = true;
    });
    await expect(run).rejects.toThrow('boom');
    expect(endedAfterFailure).toBe(true);
    expect(started).toEqual([0, 1]);
  });

  it('handles an empty list and refuses a limit below 1', async () => {
    await expect(runPool([], 2, async () => {})).resolves.toBeUndefined();
    await expect(runPool([1], 0, async () => {})).rejects.toThrow(RangeError);
  });
});
