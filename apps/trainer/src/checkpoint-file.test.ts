import { createHash } from 'node:crypto';
import { mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_MODEL_CONFIG } from '@mnist/model';
import type { TrainingState } from '@mnist/train';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CheckpointError } from './checkpoint-error.js';
import { CHECKPOINT_FILE, type Checkpoint, readCheckpoint, writeCheckpoint } from './checkpoint-file.js';
import { OutputWriteError } from './output-write-error.js';
import { DEFAULT_TRAINER_TRAINING } from './trainer-training-config.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'trainer-checkpoint-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sample(): Checkpoint {
  const state: TrainingState = {
    formatVersion: 2,
    seed: 3,
    batchSize: 32,
    trainSamples: 400,
    threads: 2,
    epoch: 1,
    batch: 4,
    epochProgress: { seen: 128, lossSum: 290.1234567890123, correct: 40, trainMs: 812.5, elapsedMs: 900.25 },
    history: [
      {
        epoch: 0,
        loss: 2.1,
        accuracy: 0.3,
        valLoss: Number.NaN,
        valAccuracy: Number.NaN,
        seconds: 1.5,
        samplesPerSecond: 300,
        learningRate: 0.001,
      },
    ],
    best: { epoch: -1, valLoss: Number.POSITIVE_INFINITY, weights: null },
    sinceImprovement: 0,
    stoppedEarly: false,
    weights: [
      { name: 'w', shape: [2, 3], dtype: 'float32', values: Float32Array.of(1, -2.5, 3e-8, 0, -0, 7) },
      { name: 'b', shape: [3], dtype: 'float32', values: Float32Array.of(0.1, 0.2, 0.3) },
    ],
    optimizer: [
      { name: 'iter', shape: [], dtype: 'int32', values: Int32Array.of(17) },
      { name: 'accBeta1', shape: [], dtype: 'float32', values: Float32Array.of(0.9 ** 18) },
      { name: 'accBeta2', shape: [], dtype: 'float32', values: Float32Array.of(0.999 ** 18) },
    ],
  };
  return {
    run: { argv: ['--epochs', '2', '--out', 'run 1'], baseDir: dir },
    config: { model: DEFAULT_MODEL_CONFIG, training: { ...DEFAULT_TRAINER_TRAINING, backend: 'wasm' } },
    state,
  };
}

describe('checkpoint files', () => {
  it('round-trips a checkpoint exactly, NaN, Infinity, -0 and int32 included', async () => {
    const folder = await mkdtemp(path.join(dir, 'round-'));
    const written = sample();
    const file = await writeCheckpoint(folder, written);
    expect(file).toBe(path.join(folder, CHECKPOINT_FILE));
    expect(await readdir(folder)).toEqual([CHECKPOINT_FILE]); // no temp file left behind
    const { checkpoint } = await readCheckpoint(folder);
    expect(checkpoint).toEqual(written);
    expect(Object.is(checkpoint.state.weights[0]!.values[4], -0)).toBe(true);
    expect(checkpoint.state.optimizer[0]!.values).toBeInstanceOf(Int32Array);
    // The file path works as well as the folder.
    expect((await readCheckpoint(file)).checkpoint).toEqual(written);
  });

  it('round-trips the per-epoch test figures, and still reads checkpoints written without them', async () => {
    const folder = await mkdtemp(path.join(dir, 'tests-'));
    const withTests: Checkpoint = {
      ...sample(),
      epochTests: [{ epoch: 0, accuracy: 0.9876, loss: Number.NaN, seconds: 1.25 }],
    };
    await writeCheckpoint(folder, withTests);
    expect((await readCheckpoint(folder)).checkpoint).toEqual(withTests);
    // What the trainer wrote before it recorded test figures: no epochTests key at all.
    await writeCheckpoint(folder, sample());
    const { checkpoint } = await readCheckpoint(folder);
    expect('epochTests' in checkpoint).toBe(false);
    expect(checkpoint).toEqual(sample());
  });

  it('refuses test figures that are not a list of epoch records', async () => {
    const folder = await mkdtemp(path.join(dir, 'bad-tests-'));
    const bad = { ...sample(), epochTests: [{ epoch: -1, accuracy: 0.5, loss: 1, seconds: 1 }] };
    await writeCheckpoint(folder, bad);
    await expect(readCheckpoint(folder)).rejects.toThrow(
      'the checkpoint is damaged or not a checkpoint (epochTests is not a list of per-epoch test figures)',
    );
  });

  it('replaces the previous checkpoint whole', async () => {
    const folder = await mkdtemp(path.join(dir, 'replace-'));
    await writeCheckpoint(folder, sample());
    const next = sample();
    next.state.batch = 5;
    await writeCheckpoint(folder, next);
    expect((await readCheckpoint(folder)).checkpoint.state.batch).toBe(5);
    expect(await readdir(folder)).toEqual([CHECKPOINT_FILE]);
  });

  it('leaves the previous checkpoint byte for byte when the disk fills mid-write, with an OutputWriteError', async () => {
    const folder = await mkdtemp(path.join(dir, 'full-'));
    const file = await writeCheckpoint(folder, sample());
    const previous = await readFile(file);
    // The write seam every atomic write goes through: half the bytes land, then ENOSPC.
    const probe = await open(file, 'r');
    const prototype = Object.getPrototypeOf(probe) as { writeFile: (data: Uint8Array) => Promise<void> };
    await probe.close();
    const real = prototype.writeFile;
    const spy = vi.spyOn(prototype, 'writeFile').mockImplementation(async function (this: unknown, data) {
      await real.call(this, data.subarray(0, data.length >> 1));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    try {
      const next = sample();
      next.state = { ...next.state, batch: 6 };
      const failure = writeCheckpoint(folder, next);
      await expect(failure).rejects.toSatisfy(OutputWriteError.isInstance);
      await expect(failure).rejects.toThrow(
        `cannot write the checkpoint ${file}: no space left on the device (ENOSPC)`,
      );
      await expect(failure).rejects.toMatchObject({ file, code: 'ENOSPC' });
    } finally {
      spy.mockRestore();
    }
    expect(await readFile(file)).toEqual(previous);
    expect(await readdir(folder)).toEqual([CHECKPOINT_FILE]);
  });

  it('refuses every truncation and byte flip with CheckpointError naming the file', async () => {
    const folder = await mkdtemp(path.join(dir, 'damage-'));
    const file = await writeCheckpoint(folder, sample());
    const good = await readFile(file);
    const damaged: Buffer[] = [];
    for (let cut = 0; cut < good.length; cut += 7) damaged.push(good.subarray(0, cut));
    for (let at = 0; at < good.length; at += 5) {
      const flipped = Buffer.from(good);
      flipped[at] = flipped[at]! ^ 0x10;
      damaged.push(flipped);
    }
    for (const bytes of damaged) {
      await writeFile(file, bytes);
      const error = await readCheckpoint(folder).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CheckpointError);
      expect((error as Error).message.startsWith(`${file}: `)).toBe(true);
    }
    expect(damaged.length).toBeGreaterThan(100);
  });

  it('refuses a checkpoint of format 1 (before the thread count was recorded), saying why', async () => {
    const folder = await mkdtemp(path.join(dir, 'format-1-'));
    const file = await writeCheckpoint(folder, sample());
    // The same file as format 1 with an intact checksum, as a trainer of that format wrote it.
    const body = Buffer.from((await readFile(file)).subarray(0, -32));
    body.writeUInt32LE(1, 8);
    await writeFile(file, Buffer.concat([body, createHash('sha256').update(body).digest()]));
    const error = await readCheckpoint(folder).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as Error).message).toBe(
      `${file}: training state format 1; this version of @mnist/train reads format 2 (format 1 did not record ` +
        'the thread count the run trained on, so it cannot resume exactly; start the run again)',
    );
  });

  it('says where to point --resume when there is no checkpoint', async () => {
    const error = await readCheckpoint(path.join(dir, 'nowhere')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as Error).message).toBe(
      `${path.join(dir, 'nowhere', CHECKPOINT_FILE)}: no checkpoint there; --resume takes the --out folder of an interrupted run`,
    );
  });
});
