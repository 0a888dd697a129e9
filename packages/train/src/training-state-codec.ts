import type { EpochRecord } from './training-types.js';
import { TrainingStateError } from './training-state-error.js';
import type { TensorSnapshot, TrainingState } from './training-state.js';

/** A decoded training state and the app's own data stored beside it. */
export interface DecodedTrainingState {
  state: TrainingState;
  /** The `metadata` given to `encodeTrainingState` (JSON data), or `undefined` if none was. */
  metadata: unknown;
}

// Layout: "MNISTCKP", uint32 LE format version, uint32 LE header length, the header (JSON: the
// state with its tensors replaced by byte ranges in the payload, and the app's metadata), then the
// payload (the tensors' bytes, little-endian as typed arrays are on every platform tfjs runs on).
// Written by hand: no serialization library has this shape, and the tensors stay raw bytes.
const MAGIC = 'MNISTCKP';
const FORMAT_VERSION = 2;
const PREAMBLE = 16;
const EPOCH_PROGRESS_FIELDS = ['seen', 'lossSum', 'correct', 'trainMs', 'elapsedMs'] as const;
const EPOCH_RECORD_FIELDS = [
  'epoch',
  'loss',
  'accuracy',
  'valLoss',
  'valAccuracy',
  'seconds',
  'samplesPerSecond',
  'learningRate',
] as const satisfies readonly (keyof EpochRecord)[];

interface TensorRef {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  offset: number;
  length: number;
}

/**
 * Encodes `state` (from `onCheckpoint`) as bytes in the training-state format, version 2: what a
 * checkpoint file holds. `metadata`, any JSON data (NaN and infinities allowed), travels with it,
 * e.g. the command that started the run. Exact: every tensor value (NaN, -0 included) and number
 * comes back as it was. Browser-safe (no Node API); integrity (a checksum) is the file's concern.
 */
export function encodeTrainingState(state: TrainingState, metadata?: unknown): Uint8Array {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const refs = (snapshots: TensorSnapshot[]): TensorRef[] =>
    snapshots.map(({ name, shape, dtype, values }) => {
      const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
      chunks.push(bytes);
      const ref = { name, shape, dtype, offset, length: values.length };
      offset += bytes.length;
      return ref;
    });
  const header = {
    state: {
      ...state,
      weights: refs(state.weights),
      optimizer: refs(state.optimizer),
      best: { ...state.best, weights: state.best.weights === null ? null : refs(state.best.weights) },
    },
    ...(metadata === undefined ? {} : { metadata }),
  };
  const json = new TextEncoder().encode(JSON.stringify(header, encodeNumber));
  const out = new Uint8Array(PREAMBLE + json.length + offset);
  out.set(new TextEncoder().encode(MAGIC));
  const view = new DataView(out.buffer);
  view.setUint32(8, FORMAT_VERSION, true);
  view.setUint32(12, json.length, true);
  out.set(json, PREAMBLE);
  let at = PREAMBLE + json.length;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/**
 * Decodes bytes written by `encodeTrainingState`, checking the format version, the layout and
 * every field's type before trusting anything (whether the state fits a run is checked when it is
 * resumed). Format 1, written before the state recorded its thread count, is refused: it cannot
 * resume exactly.
 *
 * @throws {TrainingStateError} for another format version, or bytes that are damaged or not a
 *   training state; the message says which.
 */
export function decodeTrainingState(bytes: Uint8Array): DecodedTrainingState {
  const damaged = (what: string): never => {
    throw new TrainingStateError(`damaged or not a training state (${what})`);
  };
  if (bytes.length < PREAMBLE || new TextDecoder('latin1').decode(bytes.subarray(0, 8)) !== MAGIC) {
    damaged('bad magic');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== FORMAT_VERSION) {
    throw new TrainingStateError(
      `training state format ${version}; this version of @mnist/train reads format ${FORMAT_VERSION}` +
        (version === 1
          ? ' (format 1 did not record the thread count the run trained on, so it cannot resume exactly; start the run again)'
          : ''),
    );
  }
  const headerLength = view.getUint32(12, true);
  if (PREAMBLE + headerLength > bytes.length) damaged('header runs past the end');
  let header: { state?: unknown; metadata?: unknown };
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREAMBLE, PREAMBLE + headerLength)),
      decodeNumber,
    );
  } catch {
    return damaged('the header is not valid JSON');
  }
  const payload = bytes.subarray(PREAMBLE + headerLength);
  const raw = header?.state as Record<string, unknown> | undefined;
  if (!isObject(raw)) return damaged('no state');

  for (const field of [
    'seed',
    'batchSize',
    'trainSamples',
    'threads',
    'epoch',
    'batch',
    'sinceImprovement',
  ]) {
    if (!Number.isInteger(raw[field])) damaged(`${field} is not a whole number`);
  }
  if (typeof raw.stoppedEarly !== 'boolean') damaged('stoppedEarly is not true or false');
  const progress = raw.epochProgress;
  if (!isObject(progress) || !EPOCH_PROGRESS_FIELDS.every((f) => typeof progress[f] === 'number')) {
    damaged('epochProgress is not a set of running sums');
  }
  const history = raw.history;
  if (
    !Array.isArray(history) ||
    !history.every((r) => isObject(r) && EPOCH_RECORD_FIELDS.every((f) => typeof r[f] === 'number'))
  ) {
    damaged('history is not a list of epoch records');
  }
  const best = raw.best;
  if (!isObject(best) || !Number.isInteger(best.epoch) || typeof best.valLoss !== 'number') {
    damaged('best is not a best epoch and loss');
  }
  const tensors = (refs: unknown, field: string): TensorSnapshot[] => {
    if (!Array.isArray(refs)) damaged(`${field} is not a list of tensors`);
    return (refs as TensorRef[]).map((ref, i) => {
      const width = ref?.dtype === 'float32' || ref?.dtype === 'int32' ? 4 : 0;
      const size =
        Array.isArray(ref?.shape) && ref.shape.every((d) => Number.isInteger(d) && d >= 0)
          ? ref.shape.reduce((a, b) => a * b, 1)
          : Number.NaN;
      const ok =
        width > 0 &&
        Number.isInteger(ref.offset) &&
        Number.isInteger(ref.length) &&
        ref.offset >= 0 &&
        ref.length === size &&
        ref.offset + ref.length * width <= payload.length;
      if (!ok) damaged(`${field}[${i}] lies outside the payload or has a bad dtype or shape`);
      // Copied out so the arrays are aligned and do not pin the whole buffer (`new`, not `slice`:
      // a Node Buffer's `slice` is a view).
      const copy = new Uint8Array(payload.subarray(ref.offset, ref.offset + ref.length * width));
      const values =
        ref.dtype === 'int32'
          ? new Int32Array(copy.buffer, 0, ref.length)
          : new Float32Array(copy.buffer, 0, ref.length);
      return { name: String(ref.name), shape: [...ref.shape], dtype: ref.dtype, values };
    });
  };
  const bestWeights = (best as Record<string, unknown>).weights;
  const state = {
    ...raw,
    formatVersion: FORMAT_VERSION,
    weights: tensors(raw.weights, 'weights'),
    optimizer: tensors(raw.optimizer, 'optimizer'),
    best: {
      ...(best as object),
      weights: bestWeights === null ? null : tensors(bestWeights, 'best.weights'),
    },
  } as TrainingState;
  return { state, metadata: header.metadata };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// JSON has no NaN or Infinity, and a state has both (validation figures without validation data,
// the best loss before any epoch): they travel as {"$number": "NaN"}.
function encodeNumber(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? { $number: String(value) } : value;
}

function decodeNumber(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && '$number' in value) {
    return Number((value as { $number: string }).$number);
  }
  return value;
}
