import type { ImageSet } from '@mnist/data';
import { selectBackend } from '@mnist/runtime';
import { backend, dispose, memory, tensor, type Variable } from '@tensorflow/tfjs-core';
import { type LayersModel, models } from '@tensorflow/tfjs-layers';
import { copyTensorValues } from './copy-tensor-values.js';
import { createDropoutSeeder } from './dropout-seeder.js';
import { createTrainingForward } from './training-forward.js';
import type {
  GradientStepRequest,
  GradientThreadInit,
  GradientThreadMessage,
  GradientThreadRequest,
  MeasureRequest,
  PreparedSlice,
  TensorSlot,
} from './gradient-thread-protocol.js';
import { imageSubset } from './image-subset.js';
import { createTrainingBatchMaker } from './make-training-batch.js';
import { measureLossAndAccuracy } from './measure-loss-and-accuracy.js';
import { sliceGradients } from './slice-gradients.js';

/**
 * The side of a thread that talks to the pool: a Node `MessagePort` (`parentPort`) and a Web
 * Worker's `self` both fit.
 */
export interface GradientThreadPort {
  postMessage(message: GradientThreadMessage): void;
  /** Message events: the request is in the event's `data`. */
  addEventListener(type: 'message', listener: (event: Event) => void): void;
}

/** Options of `serveGradientThread`. */
export interface ServeGradientThreadOptions {
  /**
   * Runs once, before the thread's backend starts, with the host's `setup`
   * (`GradientThreadHost.setup`; `undefined` when it has none); a failure fails the thread's start.
   */
  setUp?: (setup: unknown) => void | Promise<void>;
}

/**
 * Makes the current thread a gradient thread of a multi-threaded `train()` run: it answers the
 * pool's requests on `port` (the thread's `self` in a Web Worker, `parentPort` in a Node worker
 * thread). Per request it computes the gradients of one slice of a batch with the main thread's
 * current weights, building the slice from the shared training set, on its own tfjs instance with a
 * copy of the model. The first request (`init`) names the backend, which `selectBackend` of
 * `@mnist/runtime` activates after `options.setUp` has run with the host's `setup` (a browser
 * worker calls `setWasmPaths` there). Returns at once; the thread then lives on messages.
 */
export function serveGradientThread(
  port: GradientThreadPort,
  options: ServeGradientThreadOptions = {},
): void {
  const send = (message: GradientThreadMessage) => port.postMessage(message);
  let thread: GradientThread | null = null;
  // Requests are handled one at a time in arrival order: the pool sends the next step only after
  // this one's reply, but `share` and `unshare` may arrive while a measure is still running.
  let queue = Promise.resolve();
  port.addEventListener('message', (event) => {
    const request = (event as Event & { data: GradientThreadRequest }).data;
    queue = queue.then(async () => {
      try {
        if (request.type === 'init') {
          await options.setUp?.(request.setup);
          thread = await startThread(request.init);
          send({ type: 'ready' });
          return;
        }
        if (thread === null) throw new Error(`'${request.type}' before 'init'`);
        const reply = await thread.handle(request);
        if (reply !== null) send(reply);
        // After the reply, so that the pool's step goes on meanwhile.
        thread.afterReply();
      } catch (error) {
        send(errorMessage(error));
      }
    });
  });
}

function view(buffer: SharedArrayBuffer, slot: TensorSlot): Float32Array {
  return new Float32Array(buffer, slot.offset * 4, slot.size);
}

function checkLayout(model: LayersModel, init: GradientThreadInit): void {
  const check = (what: string, shapes: number[][], slots: TensorSlot[]) => {
    const same =
      shapes.length === slots.length && shapes.every((shape, i) => shape.join() === slots[i]!.shape.join());
    if (!same) {
      throw new Error(
        `the thread's copy of the model has ${what} [${shapes.map((s) => `[${s}]`).join(', ')}], the main thread's [${slots.map((s) => `[${s.shape}]`).join(', ')}]`,
      );
    }
  };
  check(
    'weights',
    model.weights.map((w) => w.shape as number[]),
    init.weightSlots,
  );
  check(
    'trainable weights',
    model.trainableWeights.map((w) => w.shape as number[]),
    init.gradientSlots,
  );
}

/** A started thread: what answers every request after `init`. */
interface GradientThread {
  handle(request: GradientThreadRequest): Promise<GradientThreadMessage | null>;
  /** Work a request left for after its reply: the images of this thread's next slice. */
  afterReply(): void;
}

/** Builds the thread's model copy from `init`. */
async function startThread(init: GradientThreadInit): Promise<GradientThread> {
  // The main thread's backend, activated the way an app does at start-up (with its kernels).
  await selectBackend(init.backend === 'tensorflow' ? 'node' : init.backend);
  // tfjs's cpu backend prints an "install tfjs-node" banner on first use; the app has already said
  // which backend trains, and each thread would print it again in the middle of its output.
  const active = backend() as unknown as { firstUse?: boolean };
  if (typeof active.firstUse === 'boolean') active.firstUse = false;
  const model = await models.modelFromJSON({ modelTopology: init.modelTopology } as never);
  checkLayout(model, init);
  const variables = model.trainableWeights.map((weight) => weight.read() as Variable);
  const dropout = createDropoutSeeder(model);
  const forward = createTrainingForward(model);
  const weightViews = init.weightSlots.map((slot) => view(init.weights, slot));
  const gradientViews = init.gradientSlots.map((slot) => view(init.gradients, slot));
  const sets = new Map<number, ImageSet>([[init.train.id, init.train]]);
  const batches = createTrainingBatchMaker(init.train, init.augmentation);
  let nextSlice: PreparedSlice | null = null;

  const loadPublishedWeights = () => {
    // The main thread's weights after its last update. `write` keeps the new tensor's storage and
    // frees the old one; disposing our handle leaves the variable the only owner.
    model.weights.forEach((weight, i) => {
      const slot = init.weightSlots[i]!;
      const value = tensor(weightViews[i]!, slot.shape);
      weight.write(value);
      value.dispose();
    });
  };

  const step = (request: GradientStepRequest): GradientThreadMessage => {
    loadPublishedWeights();
    dropout.seedStep(request.seed, request.epoch, request.batch, request.shard);
    if (init.augmentation !== null && request.position === undefined) {
      throw new Error('step: an augmented run must send the position of the slice in its epoch');
    }
    // The same tensors the main thread would have cut out of the whole batch, augmented alike.
    const place = { ...request, position: request.position ?? 0 };
    const { xs, ys } = batches.make(request.indices, place);
    const { loss, correct, grads } = sliceGradients(forward, variables, xs, ys, init.labelSmoothing);
    variables.forEach((variable, i) => {
      copyTensorValues(grads[variable.name]!, gradientViews[i]!);
    });
    const figures = { loss: loss.dataSync()[0]!, correct: correct.dataSync()[0]! };
    dispose([xs, ys, loss, correct, ...Object.values(grads)]);
    nextSlice = request.next ?? null;
    return { type: 'done', ...figures, numTensors: memory().numTensors };
  };

  const measure = async (request: MeasureRequest): Promise<GradientThreadMessage> => {
    const set = sets.get(request.set);
    if (set === undefined) throw new Error(`measure: no shared set ${request.set} on this thread`);
    loadPublishedWeights();
    const sums = await measureLossAndAccuracy(model, imageSubset(set, request.start, request.end));
    return { type: 'measured', ...sums, numTensors: memory().numTensors };
  };

  return {
    async handle(request) {
      switch (request.type) {
        case 'init':
          throw new Error("a second 'init'");
        case 'step':
          return step(request);
        case 'measure':
          return measure(request);
        case 'share':
          sets.set(request.set.id, request.set);
          return null;
        case 'unshare':
          sets.delete(request.id);
          return null;
      }
    },
    afterReply() {
      if (nextSlice === null) return;
      const { indices, ...place } = nextSlice;
      nextSlice = null;
      batches.prepare(indices, place);
    },
  };
}

function errorMessage(error: unknown): GradientThreadMessage {
  return error instanceof Error
    ? { type: 'error', message: error.message, stack: error.stack }
    : { type: 'error', message: String(error) };
}
