import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { createRng } from '@mnist/data';
import { AUTO_MIN_TRAINING_IMAGES } from '@mnist/train';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_FILE, readCheckpoint, writeCheckpoint } from './checkpoint-file.js';
import { writeMnistSubset } from './fixtures/write-mnist-subset.js';
import type { RunMetrics } from './run-metrics.js';
import { assertCliBuilt, type CliOutcome, killCliProcesses, spawnCli } from './spawn-cli.js';

// Reliability of the real CLI (dist/cli.js) as a process: Ctrl-C/SIGTERM leave a checkpoint and a
// resume command, SIGKILL at random moments never leaves a checkpoint that cannot be resumed, and
// every resumed run ends bit-identical to an uninterrupted one. Tiny data (500 training images in
// a folder of IDX files) and a tiny model keep each process to a second or two.
const KILL_SEED = Number(process.env.KILL_LOOP_SEED ?? 424242);
const KILL_TRIES = Number(process.env.KILL_LOOP_TRIES ?? 20);

let dir: string;
let dataDir: string;
let reference: { metrics: RunMetrics; weights: Buffer; seconds: number; startup: number };

/**
 * The flags of the small run every test trains (output folder added per test). The target test
 * accuracy is one the first epoch reaches, so a resume inside the second epoch only reports the
 * same time to target if the first epoch's test figure survived in the checkpoint.
 */
const RUN = [
  ['--epochs', '2', '--batch-size', '32', '--seed', '5', '--validation-split', '0.2', '--backend', 'wasm'],
  ['--conv-layers', '1', '--filters', '4', '--dense-units', '16', '--dropout', '0.25'],
  ['--target-accuracy', '20%'],
].flat();

const start = (args: string[]) => spawnCli(dir, args);

async function runCli(args: string[]): Promise<CliOutcome> {
  return start(args).done;
}

/** Metrics that must match between runs: everything but timings, dates and the data source. */
function figures(metrics: RunMetrics) {
  const { seconds: _s, evaluationSeconds: _e, ...timeToTarget } = metrics.timeToTarget ?? {};
  return {
    history: metrics.history.map(({ seconds: _s, samplesPerSecond: _r, ...rest }) => rest),
    epochTests: metrics.epochTests.map(({ seconds: _s, ...rest }) => rest),
    timeToTarget,
    test: metrics.test,
    bestEpoch: metrics.training.bestEpoch,
    epochsRun: metrics.training.epochsRun,
    misclassified: metrics.misclassified,
  };
}

async function outputs(out: string) {
  const metrics = JSON.parse(await readFile(path.join(out, 'metrics.json'), 'utf8')) as RunMetrics;
  return { metrics, weights: await readFile(path.join(out, 'weights.bin')) };
}

beforeAll(async () => {
  assertCliBuilt();
  dir = await mkdtemp(path.join(tmpdir(), 'trainer-reliability-'));
  dataDir = path.join(dir, 'mnist');
  await writeMnistSubset(dataDir, { train: 500, test: 200 });
  const t0 = performance.now();
  let startup = 0;
  const { child, done } = start([
    ...RUN,
    '--data-dir',
    dataDir,
    '--out',
    'reference',
    '--checkpoint-every',
    '1',
  ]);
  child.stdout!.on('data', (chunk: Buffer) => {
    if (startup === 0 && chunk.toString().includes('training on')) startup = (performance.now() - t0) / 1000;
  });
  const outcome = await done;
  expect(outcome.stderr).toBe('');
  expect(outcome.code).toBe(0);
  const out = path.join(dir, 'reference');
  // A finished run leaves no checkpoint behind: nothing is left to resume.
  expect((await readdir(out)).sort()).toEqual(['metrics.json', 'model.json', 'report.html', 'weights.bin']);
  reference = { ...(await outputs(out)), seconds: (performance.now() - t0) / 1000, startup };
  // The premise of the resume tests below: the target is first reached in epoch 1.
  expect(reference.metrics.timeToTarget).toMatchObject({ reached: true, epoch: 0, unmeasuredEpochs: [] });
  expect(reference.metrics.epochTests).toHaveLength(2);
}, 120_000);
afterAll(async () => {
  killCliProcesses();
  await rm(dir, { recursive: true, force: true });
});

describe('mnist-train under interruption', { timeout: 240_000 }, () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'on %s finishes the batch, saves a checkpoint, exits 130 and prints a resume command that ends exactly like an uninterrupted run',
    async (signal) => {
      const out = path.join(dir, `signal-${signal}`);
      const { child, done } = start([...RUN, '--data-dir', dataDir, '--out', out]);
      // Signal a moment after the first epoch ends, so it lands inside the second epoch.
      await new Promise<void>((resolve) => {
        child.stdout!.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('epoch 1/2')) resolve();
        });
      });
      child.kill(signal);
      const stopped = await done;
      expect(stopped.code).toBe(130);
      const checkpointFile = path.join(out, CHECKPOINT_FILE);
      expect(stopped.stderr).toMatch(
        new RegExp(
          `interrupted; checkpoint saved to ${escapeRegExp(checkpointFile)} \\(continues at epoch 2, batch \\d+\\)\\n`,
        ),
      );
      const command = /resume with: (mnist-train .*)\n/.exec(stopped.stderr)?.[1];
      expect(command).toBe(`mnist-train --resume ${out}`);
      expect((await readCheckpoint(out)).checkpoint.state.epoch).toBe(1);
      expect(existsSync(path.join(out, 'metrics.json'))).toBe(false);

      const resumed = await runCli(command!.split(' ').slice(1));
      expect(resumed.stderr).toBe('');
      expect(resumed.code).toBe(0);
      expect(resumed.stdout).toMatch(/resuming from .*checkpoint\.ckpt at epoch 2, batch \d+/);
      const result = await outputs(out);
      expect(figures(result.metrics)).toEqual(figures(reference.metrics));
      expect(result.weights.equals(reference.weights)).toBe(true);
      expect(existsSync(checkpointFile)).toBe(false);
      // Epoch 1's test figure came from the checkpoint; its time is epoch 1's own seconds.
      expect(result.metrics.timeToTarget?.seconds).toBe(result.metrics.history[0]!.seconds);
      expect(resumed.stdout).toMatch(/^reached 20\.00% test accuracy after epoch 1 in \d+s of training; /m);
    },
  );

  it('with --json, ends an interrupted run with an error event naming the checkpoint, and a --resume --json run starts from it', async () => {
    const out = path.join(dir, 'json-signal');
    const { child, done } = start([...RUN, '--data-dir', dataDir, '--out', out, '--json']);
    // The first epochEnd event: the signal lands inside the second epoch.
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('"type":"epochEnd"')) resolve();
      });
    });
    child.kill('SIGINT');
    const stopped = await done;
    expect(stopped.code).toBe(130);
    const events = stopped.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    const { state } = (await readCheckpoint(out)).checkpoint;
    expect(events.at(-1)).toEqual({
      type: 'error',
      formatVersion: 1,
      exitStatus: 130,
      message: expect.stringMatching(/^interrupted; checkpoint saved to /),
      checkpoint: { file: path.join(out, CHECKPOINT_FILE), epoch: state.epoch, batch: state.batch },
    });
    expect(events.filter((e) => e.type === 'done')).toEqual([]);
    // Human output on stderr: the epoch line and the resume command.
    expect(stopped.stderr).toMatch(/^epoch 1\/2 {2}loss/m);
    expect(stopped.stderr).toContain(`resume with: mnist-train --resume ${out}`);

    const resumed = await runCli(['--resume', out, '--json', '--quiet']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const after = resumed.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(after[0]).toMatchObject({
      type: 'start',
      resumedFrom: { file: path.join(out, CHECKPOINT_FILE), epoch: state.epoch, batch: state.batch },
    });
    expect(after.at(-1)).toMatchObject({ type: 'done', exitStatus: 0 });
    // The resumed epoch ends on the figures of an uninterrupted run.
    const { metrics } = await outputs(out);
    expect(after.filter((e) => e.type === 'epochEnd').map((e) => e.loss)).toEqual(
      metrics.history.slice(state.epoch).map((record) => record.loss),
    );
    expect(metrics.history.map((r) => r.loss)).toEqual(reference.metrics.history.map((r) => r.loss));
  });

  it('with --threads 2 stops on SIGINT (no thread keeps the process alive) and resumes to the weights of an uninterrupted 2-thread run', async () => {
    const threaded = [...RUN, '--data-dir', dataDir, '--threads', '2'];
    const wholeDir = path.join(dir, 'threads-whole');
    const whole = await runCli([...threaded, '--out', wholeDir]);
    expect(whole.stderr).toBe('');
    expect(whole.code).toBe(0);
    expect(whole.stdout).toContain('2 epochs of 13 batches, 2 threads');
    const uninterrupted = await outputs(wholeDir);
    expect(uninterrupted.metrics.threads).toBe(2);
    // Two threads draw their own dropout masks per slice: a model of its own, not one thread's.
    expect(uninterrupted.weights.equals(reference.weights)).toBe(false);

    const out = path.join(dir, 'threads-signal');
    const { child, done } = start([...threaded, '--out', out]);
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('epoch 1/2')) resolve();
      });
    });
    child.kill('SIGINT');
    // `done` waits for the process to close: a worker thread left running would hold it open.
    const stopped = await done;
    expect(stopped.code).toBe(130);
    expect((await readCheckpoint(out)).checkpoint.state.epoch).toBe(1);
    const resumed = await runCli(['--resume', out]);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const result = await outputs(out);
    expect(figures(result.metrics)).toEqual(figures(uninterrupted.metrics));
    expect(result.weights.equals(uninterrupted.weights)).toBe(true);
  });

  // `--threads auto` decides from the run's length: 5 epochs of 4,000 images are enough for threads,
  // the 4 epochs left after a stop in epoch 2 are not. The resume must keep the 2 threads the run
  // started on (a 1-thread resume draws other dropout masks and ends with other weights).
  it.skipIf(availableParallelism() < 2)(
    'with --threads auto resumes on the thread count the run started with, when the work left would have chosen fewer',
    async () => {
      const bigger = path.join(dir, 'mnist-5000');
      await writeMnistSubset(bigger, { train: 5000, test: 200 });
      const auto = [...RUN, '--epochs', '5', '--threads', 'auto', '--data-dir', bigger];
      // 4,000 training images (0.2 held out) times 5 epochs: exactly the smallest run `auto` threads.
      const trainImages = 4000;
      expect(trainImages * 5).toBeGreaterThanOrEqual(AUTO_MIN_TRAINING_IMAGES);
      expect(trainImages * 4).toBeLessThan(AUTO_MIN_TRAINING_IMAGES);

      const wholeDir = path.join(dir, 'auto-whole');
      const whole = await runCli([...auto, '--out', wholeDir]);
      expect(whole.stderr).toBe('');
      expect(whole.code).toBe(0);
      expect(whole.stdout).toContain('5 epochs of 125 batches, 2 threads');
      const uninterrupted = await outputs(wholeDir);
      expect(uninterrupted.metrics.threads).toBe(2);

      const out = path.join(dir, 'auto-signal');
      const { child, done } = start([...auto, '--out', out]);
      await new Promise<void>((resolve) => {
        child.stdout!.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('epoch 1/5')) resolve();
        });
      });
      child.kill('SIGINT');
      expect((await done).code).toBe(130);
      const { state } = (await readCheckpoint(out)).checkpoint;
      // Stopped in epoch 2 or later: what is left is under the threshold.
      expect(state.epoch).toBeGreaterThanOrEqual(1);
      expect(state.epoch).toBeLessThan(5);
      expect(state.threads).toBe(2);

      const resumed = await runCli(['--resume', out]);
      expect(resumed.stderr).toBe('');
      expect(resumed.code).toBe(0);
      expect(resumed.stdout).toContain('2 threads');
      const result = await outputs(out);
      expect(result.metrics.threads).toBe(2);
      expect(figures(result.metrics)).toEqual(figures(uninterrupted.metrics));
      expect(result.weights.equals(uninterrupted.weights)).toBe(true);
    },
  );

  it('resumes a checkpoint of an older trainer (no test figures), naming the epochs it could not score', async () => {
    const out = path.join(dir, 'old-checkpoint');
    const { child, done } = start([...RUN, '--data-dir', dataDir, '--out', out]);
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('epoch 1/2  test_acc')) resolve();
      });
    });
    child.kill('SIGINT');
    expect((await done).code).toBe(130);
    const { checkpoint } = await readCheckpoint(out);
    expect(checkpoint.epochTests?.map((t) => t.epoch)).toEqual([0]);
    const { epochTests: _dropped, ...older } = checkpoint;
    await writeCheckpoint(out, older);

    const resumed = await runCli(['--resume', out]);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const { metrics, weights } = await outputs(out);
    // Training itself is unaffected; only epoch 2 has a test figure.
    expect(weights.equals(reference.weights)).toBe(true);
    expect(metrics.epochTests.map((t) => t.epoch)).toEqual([1]);
    expect(metrics.timeToTarget?.unmeasuredEpochs).toEqual([0]);
    expect(resumed.stdout).toContain('epoch 1 had no test evaluation (resumed from an older checkpoint)');
  });

  it('trains the same weights with --target-accuracy off, and skips the per-epoch test evaluations', async () => {
    const out = path.join(dir, 'target-off');
    const outcome = await runCli([...RUN, '--data-dir', dataDir, '--out', out, '--target-accuracy', 'off']);
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).not.toContain('test_acc');
    expect(outcome.stdout).not.toContain('reached');
    const { metrics, weights } = await outputs(out);
    expect(weights.equals(reference.weights)).toBe(true);
    expect(metrics.test).toEqual(reference.metrics.test);
    expect(metrics.epochTests).toEqual([]);
    expect(metrics.timeToTarget).toBeNull();
  });

  it(`survives ${KILL_TRIES} SIGKILLs at random moments: every checkpoint loads and every run ends as if never killed`, async () => {
    console.log(`kill loop seed: ${KILL_SEED} (replay with KILL_LOOP_SEED=${KILL_SEED})`);
    const rng = createRng(KILL_SEED);
    const out = path.join(dir, 'killed');
    const checkpointFile = path.join(out, CHECKPOINT_FILE);
    const fresh = [...RUN, '--data-dir', dataDir, '--out', out, '--checkpoint-every', '1'];
    const expectSameAsReference = async (what: string) => {
      const result = await outputs(out);
      expect(figures(result.metrics), what).toEqual(figures(reference.metrics));
      expect(result.weights.equals(reference.weights), what).toBe(true);
      // Temp files of killed writes are removed by the next run; no half-written file remains.
      expect((await readdir(out)).sort(), what).toEqual([
        'metrics.json',
        'model.json',
        'report.html',
        'weights.bin',
      ]);
    };
    let kills = 0;
    let killedWhileResumed = 0;
    let completed = 0;
    const positions: string[] = [];
    // One kill in five at a random moment of startup; the others at a random moment after training
    // starts (checkpoints are written after every batch), some landing in evaluation and saving.
    // The window after 'training on' starts at the reference's training time and halves whenever a
    // run finishes before its kill (machine load varies), so nearly every run is killed mid-way.
    let window = reference.seconds - reference.startup;
    for (let run = 0; kills < KILL_TRIES; run++) {
      expect(run, 'too many runs finished before their kill').toBeLessThan(KILL_TRIES * 3);
      const resuming = existsSync(checkpointFile);
      const { child, done } = start(resuming ? ['--resume', out] : fresh);
      let timer: NodeJS.Timeout | undefined;
      const kill = (seconds: number) => {
        timer = setTimeout(() => child.kill('SIGKILL'), seconds * 1000);
      };
      if (rng() < 0.2) kill(rng() * reference.startup);
      else {
        const delay = rng() * window;
        child.stdout!.on('data', (chunk: Buffer) => {
          if (timer === undefined && chunk.toString().includes('training on')) kill(delay);
        });
      }
      const outcome = await done;
      clearTimeout(timer);
      if (outcome.signal === 'SIGKILL') {
        kills++;
        if (resuming) killedWhileResumed++;
        if (existsSync(checkpointFile)) {
          const { state } = (await readCheckpoint(out)).checkpoint;
          positions.push(`${state.epoch}/${state.batch}`);
        }
        continue;
      }
      // It finished before its kill: then it must have finished exactly like the reference.
      expect(outcome.stderr, `run ${run}`).toBe('');
      // Every resumed run said where it continued from.
      if (resuming) expect(outcome.stdout).toMatch(/resuming from .* at epoch \d+, batch \d+/);
      expect(outcome.code, `run ${run}`).toBe(0);
      await expectSameAsReference(`run ${run}`);
      completed++;
      window /= 2;
      await rm(out, { recursive: true, force: true });
    }
    // Whatever the last kill left, one more run completes it.
    const last = await runCli(existsSync(checkpointFile) ? ['--resume', out] : fresh);
    expect(last.stderr).toBe('');
    expect(last.code).toBe(0);
    await expectSameAsReference('last run');
    completed++;
    console.log(
      `kill loop: reference run ${reference.seconds.toFixed(1)} s (${reference.startup.toFixed(1)} s to the first batch); ${kills} SIGKILLs (${killedWhileResumed} of them in resumed runs), ${completed} runs completed ` +
        `identical to the reference; checkpoints found after kills at (epoch/batch) ${positions.join(' ')}`,
    );
    // Enough kills came after a checkpoint for the resumes to mean something.
    expect(positions.length).toBeGreaterThanOrEqual(KILL_TRIES / 4);
  });

  it('stops with status 3 when training blows up, naming epoch, batch and the last good checkpoint', async () => {
    const out = path.join(dir, 'diverged');
    const outcome = await runCli([
      ...RUN,
      '--data-dir',
      dataDir,
      '--out',
      out,
      '--learning-rate',
      '1e20', // 1e6 only saturates this model; 1e20 overflows its weights
      '--checkpoint-every',
      '1',
    ]);
    expect(outcome.code).toBe(3);
    const match =
      /training diverged: .* at epoch (\d+), batch (\d+) .*; the last good checkpoint is (\S+) \(continues at epoch (\d+), batch (\d+)\)/.exec(
        outcome.stderr,
      );
    expect(match, outcome.stderr).not.toBeNull();
    expect(match![3]).toBe(path.join(out, CHECKPOINT_FILE));
    // The checkpoint is the state right before the step that diverged, and it loads.
    const { state } = (await readCheckpoint(out)).checkpoint;
    expect([state.epoch + 1, state.batch + 1]).toEqual([Number(match![4]), Number(match![5])]);
    expect([state.epoch + 1, state.batch + 1]).toEqual([Number(match![1]), Number(match![2])]);
    expect(state.weights.every((w) => w.values.every(Number.isFinite))).toBe(true);
    expect(existsSync(path.join(out, 'metrics.json'))).toBe(false);
  });

  it('refuses --resume with other flags (status 2) and a folder without a checkpoint (status 1)', async () => {
    const extra = await runCli(['--resume', path.join(dir, 'reference'), '--epochs', '3']);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain(
      '--resume continues a run with the flags it was started with; drop --epochs 3',
    );
    const none = await runCli(['--resume', path.join(dir, 'reference')]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(
      `${path.join(dir, 'reference', CHECKPOINT_FILE)}: no checkpoint there; --resume takes the --out folder of an interrupted run`,
    );
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
