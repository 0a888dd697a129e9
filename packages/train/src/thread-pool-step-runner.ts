import type { BackendName } from '@mnist/runtime';
import { addN, dispose, sum, tidy } from '@tensorflow/tfjs-core';
import { fanOut } from './fan-out.js';
import type { GradientThreadHost } from './gradient-thread-host.js';
import type { PreparedSlice } from './gradient-thread-protocol.js';
import { startGradientThreads } from './gradient-threads.js';
import { imageSubset } from './image-subset.js';
import { stepOnThisThread } from './local-step-runner.js';
import { createTrainingBatchMaker } from './make-training-batch.js';
import { measureLossAndAccuracy } from './measure-loss-and-accuracy.js';
import { type SliceGradients, sliceGradients } from './slice-gradients.js';
import { splitRange } from './split-range.js';
import type { StepContext } from './step-context.js';
import type { StepRunner } from './step-runner.js';
import { weightedGradient } from './weighted-gradient.js';

/**
 * Starts `threads - 1` gradient threads through `host` (Node's worker_threads by default; Web
 * Workers in a browser), sharing the training set with them once) and returns the
 * step runner that cuts every batch into one contiguous slice per thread: each helper builds and
 * computes the gradients of its slice from the shared set while this thread computes the first;
 * the slices' mean gradients, weighted by their sizes, are exactly the batch's mean gradient (up to
 * the order of float additions) and the optimizer takes one step. Dropout masks are drawn per
 * slice (`DropoutSeeder.seedStep`'s shard), so they differ from one thread's, not in distribution.
 * Measuring a set splits it the same way. Given the next step, each thread augments its slice of
 * it while it would wait (this one after its own slice, a helper after its reply). Internal.
 *
 * @throws {GradientThreadError} when a thread cannot start.
 */
export async function createThreadPoolStepRunner(
  context: StepContext,
  backend: BackendName,
  threads: number,
  host?: GradientThreadHost,
): Promise<StepRunner> {
  const { model, optimizer, train, variables, dropout, augmentation } = context;
  const pool = await startGradientThreads(
    model,
    backend,
    threads - 1,
    train,
    context.labelSmoothing,
    augmentation,
    host,
  );
  const batches = createTrainingBatchMaker(train, augmentation);
  return {
    threads,
    async step(indices, at, next) {
      const size = indices.length;
      const ranges = splitRange(size, threads);
      // A batch smaller than the thread count (a short last batch) has nothing to share out.
      if (ranges.length === 1) return stepOnThisThread(context, indices, at);
      // Each thread's slice of the next step, cut as that step will cut it, made ahead by its thread.
      const nextRanges = next === undefined ? [] : splitRange(next.indices.length, threads);
      const nextSlice = (k: number): PreparedSlice | undefined => {
        if (next === undefined || nextRanges.length === 1) return undefined;
        const [start, end] = nextRanges[k]!;
        const { seed, epoch, position } = next.at;
        return { indices: next.indices.slice(start, end), seed, epoch, position: position + start };
      };

      const { own, theirs } = await fanOut<SliceGradients, Awaited<ReturnType<typeof pool.computeShard>>>(
        pool,
        ranges,
        // Copied out of the epoch's order: a view would send the whole order along. Each thread
        // augments its own slice, seeded by the images' positions in the epoch.
        (thread, [start, end]) =>
          pool.computeShard(thread, {
            ...at,
            position: at.position + start,
            shard: thread + 1,
            indices: indices.slice(start, end),
            next: nextSlice(thread + 1),
          }),
        ([start, end]) => {
          dropout.seedStep(at.seed, at.epoch, at.batch);
          const place = { ...at, position: at.position + start };
          const { xs, ys } = batches.make(indices.subarray(start, end), place);
          let gradients: SliceGradients;
          try {
            gradients = sliceGradients(context.forward, variables, xs, ys, context.labelSmoothing);
          } finally {
            dispose([xs, ys]);
          }
          // While the helpers finish their slices: this thread's next one.
          const ahead = nextSlice(0);
          if (ahead !== undefined) {
            const { indices: nextIndices, ...nextPlace } = ahead;
            batches.prepare(nextIndices, nextPlace);
          }
          return gradients;
        },
      );
      try {
        const results = await theirs;
        // Each slice counts by its share of the batch's rows: the batch's mean, written once.
        const rows = ranges.map(([start, end]) => end - start);
        const weightSum = tidy(() => {
          const weights = rows.map((count) => count / size);
          const gradients = variables.map((variable, i) => ({
            name: variable.name,
            tensor: weightedGradient(
              own.grads[variable.name]!,
              results.map((result) => result.gradients[i]!),
              weights,
              variable.shape,
            ),
          }));
          optimizer.applyGradients(gradients);
          return addN(variables.map((variable) => sum(variable)));
        });
        let loss = (own.loss.dataSync()[0]! * rows[0]!) / size;
        let correct = own.correct.dataSync()[0]!;
        results.forEach((result, k) => {
          loss += (result.loss * rows[k + 1]!) / size;
          correct += result.correct;
        });
        const total = (await weightSum.data())[0]!;
        weightSum.dispose();
        return { loss, correct, weightSum: total };
      } finally {
        dispose([own.loss, own.correct, ...Object.values(own.grads)]);
      }
    },
    async measure(set) {
      const shared = pool.share(set);
      const { own, theirs } = await fanOut(
        pool,
        splitRange(set.count, threads),
        (thread, [start, end]) => pool.measure(thread, shared, start, end),
        ([start, end]) => measureLossAndAccuracy(model, imageSubset(set, start, end)),
      );
      let { lossSum, correct } = own;
      for (const part of await theirs) {
        lossSum += part.lossSum;
        correct += part.correct;
      }
      return { lossSum, correct };
    },
    async close() {
      await pool.terminate();
      dropout.restore();
    },
  };
}
