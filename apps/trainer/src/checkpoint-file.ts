import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ModelConfig } from '@mnist/model';
import type { TensorSnapshot, TrainingConfig, TrainingState } from '@mnist/train';
import { CheckpointError } from './checkpoint-error.js';
import type { EpochTestRecord } from './run-metrics.js';
import { writeFileAtomic } from '@mnist/core/node';

/** File name of the checkpoint inside the output folder. */
export const CHECKPOINT_FILE = 'checkpoint.ckpt';

/** What a checkpoint file holds: how to rerun the command, and where training stood. */
export interface Checkpoint {
  /** The trainer's arguments as typed (without `--resume`), and the folder relative paths were taken from. */
  run: { argv: string[]; baseDir: string };
  /** The resolved configs of the run, so a resume does not depend on a --config file staying unchanged. */
  config: { model: ModelConfig; training: TrainingConfig };
  state: TrainingState;
  /**
   * Test figures of the epochs finished so far (`--target-accuracy`), so a resumed run reports the
   * same time to target as an uninterrupted one. Absent in checkpoints of older trainers and when
   * `--target-accuracy off`.
   */
  epochTests?: EpochTestRecord[];
}

// Layout: "MNISTCKP", uint32 LE format version, uint32 LE header length, the header (JSON, tensors
// replaced by their byte range in the payload), the payload (tensor bytes), then the SHA-256 of
// everything before it. Written by hand: one self-checking file renamed into place is all the
// atomicity we need, and no library has this shape.
const MAGIC = 'MNISTCKP';
const VERSION = 1;
const PREAMBLE = 16;
const DIGEST = 32;

interface TensorRef {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  offset: number;
  length: number;
}

/**
 * Writes `checkpoint` to `dir/checkpoint.ckpt` atomically (temp file, fsync, rename, then fsync of
 * the folder), so a crash or kill at any moment leaves either the previous checkpoint or this one,
 * whole. Returns the file's path.
 */
export async function writeCheckpoint(dir: string, checkpoint: Checkpoint): Promise<string> {
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
  const { state } = checkpoint;
  const header = {
    ...checkpoint,
    state: {
      ...state,
      weights: refs(state.weights),
      optimizer: refs(state.optimizer),
      best: { ...state.best, weights: state.best.weights === null ? null : refs(state.best.weights) },
    },
  };
  const json = new TextEncoder().encode(JSON.stringify(header, encodeNumber));
  const preamble = new Uint8Array(PREAMBLE);
  preamble.set(new TextEncoder().encode(MAGIC));
  const view = new DataView(preamble.buffer);
  view.setUint32(8, VERSION, true);
  view.setUint32(12, json.length, true);
  const body = Buffer.concat([preamble, json, ...chunks]);
  const digest = createHash('sha256').update(body).digest();
  const file = path.join(dir, CHECKPOINT_FILE);
  await writeFileAtomic(file, Buffer.concat([body, digest]));
  await syncDir(dir);
  return file;
}

/**
 * Reads a checkpoint written by `writeCheckpoint`; `location` is the file or the folder holding
 * it. Checks the magic, version, checksum and every tensor's byte range before trusting anything.
 * Throws `CheckpointError` naming the file.
 */
export async function readCheckpoint(location: string): Promise<{ file: string; checkpoint: Checkpoint }> {
  const file = location.endsWith('.ckpt') ? location : path.join(location, CHECKPOINT_FILE);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new CheckpointError(
      code === 'ENOENT'
        ? `${file}: no checkpoint there; --resume takes the --out folder of an interrupted run`
        : `${file}: cannot read the checkpoint (${code ?? String(cause)})`,
      { cause },
    );
  }
  const damaged = (what: string): never => {
    throw new CheckpointError(`${file}: the checkpoint is damaged or not a checkpoint (${what})`);
  };
  if (bytes.length < PREAMBLE + DIGEST || bytes.subarray(0, 8).toString('latin1') !== MAGIC)
    damaged('bad magic');
  const version = bytes.readUInt32LE(8);
  if (version !== VERSION) {
    throw new CheckpointError(`${file}: checkpoint format ${version}, this trainer reads format ${VERSION}`);
  }
  const body = bytes.subarray(0, bytes.length - DIGEST);
  if (
    !createHash('sha256')
      .update(body)
      .digest()
      .equals(bytes.subarray(bytes.length - DIGEST))
  ) {
    damaged('checksum mismatch');
  }
  const headerLength = bytes.readUInt32LE(12);
  if (PREAMBLE + headerLength > body.length) damaged('header runs past the end');
  let header: Checkpoint;
  try {
    header = JSON.parse(body.subarray(PREAMBLE, PREAMBLE + headerLength).toString('utf8'), decodeNumber);
  } catch (cause) {
    throw new CheckpointError(`${file}: the checkpoint header is not valid JSON`, { cause });
  }
  const payload = body.subarray(PREAMBLE + headerLength);
  const tensors = (refs: unknown, field: string): TensorSnapshot[] => {
    if (!Array.isArray(refs)) damaged(`${field} is not a list of tensors`);
    return (refs as TensorRef[]).map((ref, i) => {
      const width = ref.dtype === 'float32' || ref.dtype === 'int32' ? 4 : 0;
      const size = Array.isArray(ref.shape) ? ref.shape.reduce((a, b) => a * b, 1) : Number.NaN;
      const ok =
        width > 0 &&
        Number.isInteger(ref.offset) &&
        Number.isInteger(ref.length) &&
        ref.offset >= 0 &&
        ref.length === size &&
        ref.offset + ref.length * width <= payload.length;
      if (!ok) damaged(`${field}[${i}] lies outside the file or has a bad dtype or shape`);
      // Copied out so the arrays are aligned and do not pin the whole file.
      const raw = new Uint8Array(payload.subarray(ref.offset, ref.offset + ref.length * width));
      const values =
        ref.dtype === 'int32'
          ? new Int32Array(raw.buffer, 0, ref.length)
          : new Float32Array(raw.buffer, 0, ref.length);
      return { name: String(ref.name), shape: ref.shape, dtype: ref.dtype, values };
    });
  };
  const state = header?.state;
  const run = header?.run;
  const wellFormed =
    typeof state === 'object' &&
    state !== null &&
    typeof run === 'object' &&
    run !== null &&
    Array.isArray(run.argv) &&
    run.argv.every((arg) => typeof arg === 'string') &&
    typeof run.baseDir === 'string' &&
    typeof header.config === 'object' &&
    header.config !== null;
  if (!wellFormed) damaged('no command, configs or state');
  const epochTests: unknown = header.epochTests;
  if (epochTests !== undefined && !(Array.isArray(epochTests) && epochTests.every(isEpochTest))) {
    damaged('epochTests is not a list of per-epoch test figures');
  }
  const best = state.best as unknown as { epoch: number; valLoss: number; weights: unknown };
  const checkpoint: Checkpoint = {
    run: header.run,
    config: header.config,
    state: {
      ...state,
      weights: tensors(state.weights, 'weights'),
      optimizer: tensors(state.optimizer, 'optimizer'),
      best: { ...best, weights: best?.weights === null ? null : tensors(best?.weights, 'best.weights') },
    },
    ...(header.epochTests === undefined ? {} : { epochTests: header.epochTests }),
  };
  return { file, checkpoint };
}

function isEpochTest(value: unknown): value is EpochTestRecord {
  if (typeof value !== 'object' || value === null) return false;
  const { epoch, accuracy, loss, seconds } = value as Record<string, unknown>;
  return (
    Number.isInteger(epoch) &&
    (epoch as number) >= 0 &&
    typeof accuracy === 'number' &&
    typeof loss === 'number' &&
    typeof seconds === 'number'
  );
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

async function syncDir(dir: string): Promise<void> {
  // Makes the rename itself durable; not every platform can open a folder, so failures are ignored.
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {}
}
