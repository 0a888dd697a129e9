import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '@mnist/core/node';
import type { ModelConfig } from '@mnist/model';
import {
  type DecodedTrainingState,
  decodeTrainingState,
  encodeTrainingState,
  TrainingStateError,
  type TrainingState,
} from '@mnist/train';
import { CheckpointError } from './checkpoint-error.js';
import type { EpochTestRecord } from '@mnist/pipeline';
import { OutputWriteError } from './output-write-error.js';
import type { TrainerTrainingConfig } from './trainer-training-config.js';

/** File name of the checkpoint inside the output folder. */
export const CHECKPOINT_FILE = 'checkpoint.ckpt';

/** What a checkpoint file holds: how to rerun the command, and where training stood. */
export interface Checkpoint {
  /** The trainer's arguments as typed (without `--resume`), and the folder relative paths were taken from. */
  run: { argv: string[]; baseDir: string };
  /** The resolved configs of the run, so a resume does not depend on a --config file staying unchanged. */
  config: { model: ModelConfig; training: TrainerTrainingConfig };
  state: TrainingState;
  /**
   * Test figures of the epochs finished so far (`--target-accuracy`), so a resumed run reports the
   * same time to target as an uninterrupted one. Absent in checkpoints of older trainers and when
   * `--target-accuracy off`.
   */
  epochTests?: EpochTestRecord[];
}

// Layout: the training state as `encodeTrainingState` of @mnist/train writes it (its format
// version, the state, and this file's command, configs and test figures as its metadata), then the
// SHA-256 of those bytes, so a torn or damaged file is refused before anything in it is trusted.
const DIGEST = 32;

/**
 * Writes `checkpoint` to `dir/checkpoint.ckpt` atomically (temp file, fsync, rename, then fsync of
 * the folder), so a crash or kill at any moment leaves either the previous checkpoint or this one,
 * whole. Returns the file's path.
 *
 * @throws OutputWriteError naming the file and the errno code (ENOSPC on a full disk).
 */
export async function writeCheckpoint(dir: string, checkpoint: Checkpoint): Promise<string> {
  const { state, ...metadata } = checkpoint;
  const body = encodeTrainingState(state, metadata);
  const digest = createHash('sha256').update(body).digest();
  const file = path.join(dir, CHECKPOINT_FILE);
  // A failed write leaves the previous checkpoint as it was: writeFileAtomic never touches it.
  await OutputWriteError.guard('the checkpoint', file, () =>
    writeFileAtomic(file, Buffer.concat([body, digest])),
  );
  await syncDir(dir);
  return file;
}

/**
 * Reads a checkpoint written by `writeCheckpoint`; `location` is the file or the folder holding
 * it. Checks the checksum, then the training state's format and layout (`decodeTrainingState`),
 * then the command and configs, before trusting anything. Throws `CheckpointError` naming the file.
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
  if (bytes.length < DIGEST) damaged('too short');
  const body = bytes.subarray(0, bytes.length - DIGEST);
  if (
    !createHash('sha256')
      .update(body)
      .digest()
      .equals(bytes.subarray(bytes.length - DIGEST))
  ) {
    damaged('checksum mismatch');
  }
  let decoded: DecodedTrainingState;
  try {
    decoded = decodeTrainingState(body);
  } catch (cause) {
    if (!TrainingStateError.isInstance(cause)) throw cause;
    throw new CheckpointError(`${file}: ${cause.message}`, { cause });
  }
  const header = decoded.metadata as Partial<Omit<Checkpoint, 'state'>> | undefined;
  const run = header?.run;
  const wellFormed =
    typeof run === 'object' &&
    run !== null &&
    Array.isArray(run.argv) &&
    run.argv.every((arg) => typeof arg === 'string') &&
    typeof run.baseDir === 'string' &&
    typeof header?.config === 'object' &&
    header.config !== null;
  if (!wellFormed) damaged('no command or configs');
  const epochTests: unknown = header!.epochTests;
  if (epochTests !== undefined && !(Array.isArray(epochTests) && epochTests.every(isEpochTest))) {
    damaged('epochTests is not a list of per-epoch test figures');
  }
  const checkpoint: Checkpoint = {
    run: header!.run!,
    config: header!.config!,
    state: decoded.state,
    ...(header!.epochTests === undefined ? {} : { epochTests: header!.epochTests }),
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
