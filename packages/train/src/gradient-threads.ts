import type { AugmentationConfig, ImageSet } from '@mnist/data';
import type { BackendName } from '@mnist/runtime';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { copyTensorValues } from './copy-tensor-values.js';
import { GradientThreadError } from './gradient-thread-error.js';
import type { GradientThreadEndpoint, GradientThreadHost } from './gradient-thread-host.js';
import {
  type GradientStepRequest,
  type GradientThreadInit,
  type GradientThreadMessage,
  type GradientThreadRequest,
  layOutSlots,
  type SharedImageSet,
  type TensorSlot,
} from './gradient-thread-protocol.js';
import type { LossAndAccuracySums } from './measure-loss-and-accuracy.js';
import { nodeWorkerThreadHost } from './node-worker-thread-host.js';
import { shareImageSet } from './share-image-set.js';

/** A slice of a batch computed on a gradient thread; its gradients are in `gradients` when it resolves. */
export interface ShardResult {
  /** Mean training loss of the slice (cross-entropy, label-smoothed as the run says). */
  loss: number;
  correct: number;
  /** Tensors alive on the thread after the step (flat when nothing leaks). */
  numTensors: number;
  /** The gradients of `model.trainableWeights`, in order; valid until the thread's next step. */
  gradients: Float32Array[];
}

/** Helper threads that each compute the gradients of one slice of a batch. Internal. */
export interface GradientThreads {
  /** Number of helper threads (the calling thread computes one more slice itself). */
  readonly count: number;
  /** The training set as the threads share it (id 0), for the whole run. */
  readonly train: SharedImageSet;
  /** Copies the model's current weights where the threads read them at their next step. */
  publishWeights(): void;
  /** Starts helper `thread` on a slice of the training set; publish the weights first. */
  computeShard(thread: number, request: Omit<GradientStepRequest, 'type'>): Promise<ShardResult>;
  /**
   * `set` as the threads share it: copied into shared memory and sent to them on first use, then
   * reused for as long as the same object comes back (a few sets are kept; the training set always).
   */
  share(set: ImageSet): SharedImageSet;
  /** Measures images `[start, end)` of a shared set in inference mode on helper `thread`; publish the weights first. */
  measure(
    thread: number,
    set: SharedImageSet,
    start: number,
    end: number,
  ): Promise<LossAndAccuracySums & { numTensors: number }>;
  /** Stops every thread. */
  terminate(): Promise<void>;
}

// Sets measured besides the training set that the threads keep (validation, a test set, ...); the
// oldest is dropped past it, so a caller measuring a fresh object every epoch holds no more memory.
const KEPT_MEASURED_SETS = 4;

/**
 * Starts `count` gradient threads through `host` (Node's worker_threads by default), each with a
 * copy of `model` on `backend`, and waits until all are ready. The training set `train` is shared
 * with them once; weights go to them and gradients come back through shared memory, so a step costs
 * one small message each way (the slice's indices, the slice's figures). With `augmentation`, each
 * thread augments the slices it builds. Internal.
 *
 * @throws {GradientThreadError} when there is no `SharedArrayBuffer` (a browser page that is not
 *   cross-origin isolated) or a thread cannot start (missing build, backend failing to load).
 */
export async function startGradientThreads(
  model: LayersModel,
  backend: BackendName,
  count: number,
  train: ImageSet,
  labelSmoothing: number,
  augmentation: AugmentationConfig | null = null,
  host: GradientThreadHost = nodeWorkerThreadHost(),
): Promise<GradientThreads> {
  if (typeof SharedArrayBuffer === 'undefined') {
    throw new GradientThreadError(
      `threads: ${count + 1} needs SharedArrayBuffer, which a browser gives only to a cross-origin ` +
        'isolated page (served with Cross-Origin-Opener-Policy: same-origin and ' +
        'Cross-Origin-Embedder-Policy: require-corp); train with threads: 1 there',
    );
  }
  const weightLayout = layOutSlots(model.weights.map((weight) => weight.shape as number[]));
  const gradientLayout = layOutSlots(model.trainableWeights.map((weight) => weight.shape as number[]));
  const weights = new SharedArrayBuffer(weightLayout.totalSize * 4);
  const weightViews = views(weights, weightLayout.slots);
  const modelTopology = model.toJSON(null, false);
  const sharedTrain = shareImageSet(train, 0);

  const started = await Promise.allSettled(
    Array.from({ length: count }, async (_, index) => {
      const gradients = new SharedArrayBuffer(gradientLayout.totalSize * 4);
      const init: GradientThreadInit = {
        modelTopology,
        backend,
        weights,
        weightSlots: weightLayout.slots,
        gradients,
        gradientSlots: gradientLayout.slots,
        train: sharedTrain,
        labelSmoothing,
        augmentation,
      };
      let worker: GradientThreadEndpoint;
      try {
        worker = await host.spawn(index);
      } catch (error) {
        throw new GradientThreadError(
          `gradient thread ${index + 1} of ${count}: could not start: ${(error as Error).message ?? error}`,
          { cause: error },
        );
      }
      let pending: {
        resolve: (message: GradientThreadMessage) => void;
        reject: (error: Error) => void;
      } | null = null;
      let failure: GradientThreadError | null = null;
      const fail = (reason: string, cause?: unknown) => {
        failure ??= new GradientThreadError(`gradient thread ${index + 1} of ${count}: ${reason}`, { cause });
        pending?.reject(failure);
        pending = null;
      };
      worker.onMessage((message) => {
        if (message.type === 'error') {
          fail(message.message, Object.assign(new Error(message.message), { stack: message.stack }));
          return;
        }
        const waiting = pending;
        pending = null;
        waiting?.resolve(message);
      });
      worker.onFailure(fail);
      const request = (message: GradientThreadRequest) => {
        if (failure !== null) return Promise.reject(failure);
        return new Promise<GradientThreadMessage>((resolve, reject) => {
          pending = { resolve, reject };
          worker.postMessage(message);
        });
      };
      // Messages that get no reply; a failure handling one surfaces at the next request.
      const tell = (message: GradientThreadRequest) => {
        if (failure === null) worker.postMessage(message);
      };
      const thread = { worker, request, tell, gradientViews: views(gradients, gradientLayout.slots) };
      const start = host.setup === undefined ? { init } : { init, setup: host.setup };
      const ready = request({ type: 'init', ...start }).then((reply) => {
        if (reply.type !== 'ready') throw unexpected(index, reply);
      });
      // Awaited below unless another thread failed to spawn; its failure then (a terminated
      // thread exits) must not count as unhandled.
      ready.catch(() => undefined);
      return { thread, ready };
    }),
  );
  const spawned = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  try {
    const notStarted = started.find((result) => result.status === 'rejected');
    if (notStarted !== undefined) throw notStarted.reason;
    await Promise.all(spawned.map(({ ready }) => ready));
  } catch (error) {
    await Promise.all(spawned.map(({ thread }) => thread.worker.terminate()));
    throw error;
  }
  const threads = spawned.map(({ thread }) => thread);

  // Insertion order is age: the first entry is the oldest measured set.
  const measured = new Map<ImageSet, SharedImageSet>();
  let nextId = 1;

  return {
    count,
    train: sharedTrain,
    publishWeights() {
      model.weights.forEach((weight, i) => {
        copyTensorValues(weight.read() as Tensor, weightViews[i]!);
      });
    },
    async computeShard(thread, request) {
      const { request: send, gradientViews } = threads[thread]!;
      const reply = await send({ type: 'step', ...request });
      if (reply.type !== 'done') throw unexpected(thread, reply);
      return {
        loss: reply.loss,
        correct: reply.correct,
        numTensors: reply.numTensors,
        gradients: gradientViews,
      };
    },
    share(set) {
      if (set === train) return sharedTrain;
      const known = measured.get(set);
      if (known !== undefined) return known;
      const shared = shareImageSet(set, nextId++);
      for (const thread of threads) thread.tell({ type: 'share', set: shared });
      measured.set(set, shared);
      if (measured.size > KEPT_MEASURED_SETS) {
        const [oldest, dropped] = measured.entries().next().value!;
        measured.delete(oldest);
        for (const thread of threads) thread.tell({ type: 'unshare', id: dropped.id });
      }
      return shared;
    },
    async measure(thread, set, start, end) {
      const reply = await threads[thread]!.request({ type: 'measure', set: set.id, start, end });
      if (reply.type !== 'measured') throw unexpected(thread, reply);
      return { lossSum: reply.lossSum, correct: reply.correct, numTensors: reply.numTensors };
    },
    async terminate() {
      measured.clear();
      await Promise.all(threads.map((thread) => thread.worker.terminate()));
    },
  };
}

function unexpected(thread: number, reply: GradientThreadMessage): GradientThreadError {
  return new GradientThreadError(`gradient thread ${thread + 1}: unexpected reply '${reply.type}'`);
}

function views(buffer: SharedArrayBuffer, slots: TensorSlot[]): Float32Array[] {
  return slots.map((slot) => new Float32Array(buffer, slot.offset * 4, slot.size));
}
