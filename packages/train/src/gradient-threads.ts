import type { ImageSet } from '@mnist/data';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { BackendName } from './backend-types.js';
import { copyTensorValues } from './copy-tensor-values.js';
import { GradientThreadError } from './gradient-thread-error.js';
import type { LossAndAccuracySums } from './measure-loss-and-accuracy.js';
import {
  type GradientStepRequest,
  type GradientThreadInit,
  type GradientThreadMessage,
  type GradientThreadRequest,
  layOutSlots,
  type TensorSlot,
} from './gradient-thread-protocol.js';

/** A slice of a batch computed on a gradient thread; its gradients are in `gradients` when it resolves. */
export interface ShardResult {
  /** Mean cross-entropy of the slice. */
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
  /** Copies the model's current weights where the threads read them at their next step. */
  publishWeights(): void;
  /** Starts helper `thread` on a slice; publish the weights first. */
  computeShard(thread: number, request: Omit<GradientStepRequest, 'type'>): Promise<ShardResult>;
  /** Measures `set` in inference mode on helper `thread`; publish the weights first. */
  measure(thread: number, set: ImageSet): Promise<LossAndAccuracySums & { numTensors: number }>;
  /** Stops every thread. */
  terminate(): Promise<void>;
}

interface NodeWorker {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: GradientThreadMessage) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  terminate(): Promise<number>;
  unref(): void;
}

/**
 * Where the worker entry is: `dist/gradient-worker.js` beside the built package. Under vitest this
 * module runs from `src/*.ts`, which Node cannot start as a worker, so the built file is used
 * (`pnpm build` makes it; `pnpm test` builds first).
 */
export function gradientWorkerUrl(): URL {
  return import.meta.url.endsWith('.ts')
    ? new URL('../dist/gradient-worker.js', import.meta.url)
    : new URL('./gradient-worker.js', import.meta.url);
}

/**
 * Starts `count` worker threads, each with a copy of `model` on `backend`, and waits until all are
 * ready. Weights go to them and gradients come back through shared memory, so a step costs one
 * small message each way plus the slice's images. Internal.
 *
 * @throws {GradientThreadError} when a thread cannot start (missing build, backend failing to load).
 */
export async function startGradientThreads(
  model: LayersModel,
  backend: BackendName,
  count: number,
): Promise<GradientThreads> {
  const { Worker } = await import('node:worker_threads');
  const weightLayout = layOutSlots(model.weights.map((weight) => weight.shape as number[]));
  const gradientLayout = layOutSlots(model.trainableWeights.map((weight) => weight.shape as number[]));
  const weights = new SharedArrayBuffer(weightLayout.totalSize * 4);
  const weightViews = views(weights, weightLayout.slots);
  const workerUrl = gradientWorkerUrl();
  const modelTopology = model.toJSON(null, false);

  const threads = Array.from({ length: count }, (_, index) => {
    const gradients = new SharedArrayBuffer(gradientLayout.totalSize * 4);
    const init: GradientThreadInit = {
      modelTopology,
      backend,
      weights,
      weightSlots: weightLayout.slots,
      gradients,
      gradientSlots: gradientLayout.slots,
    };
    const worker = new Worker(workerUrl, { workerData: init }) as unknown as NodeWorker;
    // A thread must never keep the process alive on its own: training terminates them, and a
    // crash of the main thread should end the process.
    worker.unref();
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
    const ready = new Promise<GradientThreadMessage>((resolve, reject) => {
      pending = { resolve, reject };
    });
    worker.on('message', (message) => {
      if (message.type === 'error') {
        fail(message.message, Object.assign(new Error(message.message), { stack: message.stack }));
        return;
      }
      const waiting = pending;
      pending = null;
      waiting?.resolve(message);
    });
    worker.on('error', (error) => fail(`crashed: ${error.message}`, error));
    worker.on('exit', (code) => fail(`exited with code ${code}`));
    const request = (message: GradientThreadRequest) => {
      if (failure !== null) return Promise.reject(failure);
      return new Promise<GradientThreadMessage>((resolve, reject) => {
        pending = { resolve, reject };
        worker.postMessage(message);
      });
    };
    return { worker, ready, request, gradientViews: views(gradients, gradientLayout.slots) };
  });

  try {
    await Promise.all(threads.map((thread) => thread.ready));
  } catch (error) {
    await Promise.all(threads.map((thread) => thread.worker.terminate()));
    if (
      error instanceof GradientThreadError &&
      /Cannot find module|ERR_MODULE_NOT_FOUND/.test(error.message)
    ) {
      throw new GradientThreadError(
        `${error.message} (is @mnist/train built? \`pnpm build\` makes ${workerUrl.pathname}; or train with threads: 1)`,
        { cause: error },
      );
    }
    throw error;
  }

  return {
    count,
    publishWeights() {
      model.weights.forEach((weight, i) => {
        copyTensorValues(weight.read() as Tensor, weightViews[i]!);
      });
    },
    async computeShard(thread, request) {
      const { request: send, gradientViews } = threads[thread]!;
      const reply = await send({ type: 'step', ...request });
      if (reply.type !== 'done') {
        throw new GradientThreadError(`gradient thread ${thread + 1}: unexpected reply '${reply.type}'`);
      }
      return {
        loss: reply.loss,
        correct: reply.correct,
        numTensors: reply.numTensors,
        gradients: gradientViews,
      };
    },
    async measure(thread, set) {
      const { images, labels, count, rows, cols } = set;
      const reply = await threads[thread]!.request({ type: 'measure', images, labels, count, rows, cols });
      if (reply.type !== 'measured') {
        throw new GradientThreadError(`gradient thread ${thread + 1}: unexpected reply '${reply.type}'`);
      }
      return { lossSum: reply.lossSum, correct: reply.correct, numTensors: reply.numTensors };
    },
    async terminate() {
      await Promise.all(threads.map((thread) => thread.worker.terminate()));
    },
  };
}

function views(buffer: SharedArrayBuffer, slots: TensorSlot[]): Float32Array[] {
  return slots.map((slot) => new Float32Array(buffer, slot.offset * 4, slot.size));
}
