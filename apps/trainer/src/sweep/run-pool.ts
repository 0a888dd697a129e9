/**
 * Runs `worker` on every item with at most `limit` running at once, starting the next item as soon
 * as one ends (items start in order). Once `signal` is aborted no new item starts; running ones are
 * left to finish (the worker sees the same signal). If a worker throws, no new item starts either,
 * and the first error is rethrown after the running ones end.
 * Written by hand: it is a dozen lines, and p-limit would add a dependency for them.
 */
export async function runPool<T>(
  items: readonly T[],
  limit: number,
  worker: (item: T, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`runPool: limit must be a whole number >= 1, got ${limit}`);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (next < items.length && failure === undefined && signal?.aborted !== true) {
      const index = next++;
      try {
        await worker(items[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure !== undefined) throw failure.error;
}
