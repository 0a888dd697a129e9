import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcessTrialRunner, settingsFlags, TRIAL_CONFIG_FILE } from './process-trial-runner.js';
import type { SweepSettings } from './sweep-types.js';

// A stand-in for the trainer CLI: same flags, same outputs, behaviour chosen by FAKE_MODE.
const FAKE_CLI = `
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
const args = process.argv.slice(2);
const out = args[args.indexOf('--out') + 1];
const config = JSON.parse(readFileSync(args[args.indexOf('--config') + 1], 'utf8'));
writeFileSync(path.join(out, 'seen.json'), JSON.stringify({ args, config }));
const mode = process.env.FAKE_MODE;
if (mode === 'ok') {
  const history = [0.9, 0.95, 0.94].map((valAccuracy, epoch) => ({ epoch, valAccuracy, loss: 1, accuracy: 0.5, test: 'ignored' }));
  writeFileSync(path.join(out, 'metrics.json'), JSON.stringify({ history, test: { accuracy: 0.999 } }));
} else if (mode === 'slow') {
  // The --json events of three epochs at once, then "training" until interrupted, like a trainer
  // that outlives its limit. A stray line a library printed, and a human epoch line, are not events.
  const event = (fields) => console.log(JSON.stringify({ formatVersion: 1, ...fields }));
  event({ type: 'start', epochs: 50 });
  console.log('Hi, a library line');
  for (let epoch = 0; epoch < 3; epoch++) {
    event({ type: 'progress', epoch, epochs: 50, batchesDone: 3, batchesPerEpoch: 12, loss: 0.5, accuracy: 0.8 });
    event({ type: 'epochEnd', epoch, epochs: 50, loss: 0.3, accuracy: 0.9, valLoss: 0.2, valAccuracy: 0.9 + epoch / 100 + 0.0012345678 });
    console.log('epoch ' + (epoch + 1) + '/50  loss 0.3000  acc 90.00%  val_loss 0.2000  val_acc 12.34%  0.1s  900 img/s');
  }
  event({ formatVersion: 2, type: 'epochEnd', epoch: 9, valAccuracy: 0.5 });
  const timer = setInterval(() => {}, 1000);
  process.on('SIGINT', () => {
    clearInterval(timer);
    event({ type: 'error', exitStatus: 130, message: 'interrupted', checkpoint: null });
    process.exit(130);
  });
} else if (mode === 'deaf') {
  process.on('SIGINT', () => {});
  setInterval(() => {}, 1000);
} else if (mode === 'usage') {
  process.stderr.write('mnist-train: --data-dir /nope: no such folder\\n');
  process.exit(2);
} else {
  process.stderr.write('mnist-train: unexpected error: boom\\n    at somewhere\\n');
  process.exit(1);
}
`;

let dir: string;
let cliPath: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sweep-proc-'));
  cliPath = path.join(dir, 'fake-cli.mjs');
  await writeFile(cliPath, FAKE_CLI);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const settings: SweepSettings = { epochs: 3, seed: 5, trainLimit: 300, backend: 'cpu' };
const runnerFor = (
  mode: string,
  extra: Partial<SweepSettings> = {},
  graceSeconds = 30,
  threads?: number | 'auto',
) =>
  createProcessTrialRunner({
    cliPath,
    settings: { ...settings, ...extra },
    env: { ...process.env, FAKE_MODE: mode },
    graceSeconds,
    ...(threads === undefined ? {} : { threads }),
  });
const job = (id: string) => ({
  id,
  params: { convLayers: 2, dropout: 0.5 },
  outDir: path.join(dir, 'trials', id),
});

describe('settingsFlags', () => {
  it('passes each shared setting as the trainer flag of the same meaning', () => {
    expect(settingsFlags({ epochs: 2, seed: 0 })).toEqual(['--epochs', '2', '--seed', '0']);
    expect(
      settingsFlags({
        epochs: 2,
        seed: 1,
        trainLimit: 6000,
        validationSplit: 0.2,
        earlyStoppingPatience: 0,
        trialTimeLimit: 60,
        backend: 'wasm',
        dataDir: '/d',
      }),
    ).toEqual([
      ...['--epochs', '2', '--seed', '1', '--train-limit', '6000', '--validation-split', '0.2'],
      ...['--early-stopping-patience', '0', '--backend', 'wasm', '--data-dir', '/d'],
    ]);
  });
});

describe('createProcessTrialRunner', () => {
  it('runs the CLI with the trial config, shared flags, its own --out, --json and --quiet, and reads validation history', async () => {
    const trial = job('ok');
    // Leftovers of an earlier attempt are cleared first.
    await rm(trial.outDir, { recursive: true, force: true });
    const { mkdir } = await import('node:fs/promises');
    await mkdir(trial.outDir, { recursive: true });
    await writeFile(path.join(trial.outDir, 'stale.txt'), 'x');

    const outcome = await runnerFor('ok')(trial, new AbortController().signal);
    expect(outcome).toMatchObject({
      status: 'done',
      history: [
        { epoch: 0, valAccuracy: 0.9 },
        { epoch: 1, valAccuracy: 0.95 },
        { epoch: 2, valAccuracy: 0.94 },
      ],
    });
    expect(outcome.history[0]).toEqual({ epoch: 0, valAccuracy: 0.9 });
    expect(outcome.seconds).toBeGreaterThan(0);
    const seen = JSON.parse(await readFile(path.join(trial.outDir, 'seen.json'), 'utf8'));
    expect(seen.args).toEqual([
      ...['--config', path.join(trial.outDir, TRIAL_CONFIG_FILE), '--out', trial.outDir],
      ...['--epochs', '3', '--seed', '5', '--train-limit', '300', '--backend', 'cpu'],
      ...['--target-accuracy', 'off', '--json', '--quiet'],
    ]);
    expect(seen.config).toEqual({
      model: { convLayers: 2, filters: [16, 32], poolAfter: [0, 1], dropout: 0.5 },
      training: {},
    });
    await expect(readFile(path.join(trial.outDir, 'stale.txt'))).rejects.toThrow(/ENOENT/);
  });

  it("passes the sweep's --threads to every trial", async () => {
    const trial = job('threads');
    await runnerFor('ok', {}, 30, 1)(trial, new AbortController().signal);
    const seen = JSON.parse(await readFile(path.join(trial.outDir, 'seen.json'), 'utf8'));
    expect(seen.args.slice(-6)).toEqual(['--threads', '1', '--target-accuracy', 'off', '--json', '--quiet']);
  });

  // The limit leaves the fake CLI ample time to start and print, even on a loaded machine.
  it('stops a trial at --trial-time-limit with SIGINT and scores the epochEnd events it printed, at full precision', async () => {
    const outcome = await runnerFor('slow', { trialTimeLimit: 5 })(job('slow'), new AbortController().signal);
    expect(outcome.status).toBe('timed-out');
    // Exactly the printed figures: nothing rounded to the 0.01% of the human epoch lines.
    expect(outcome.history).toEqual([
      { epoch: 0, valAccuracy: 0.9 + 0 / 100 + 0.0012345678 },
      { epoch: 1, valAccuracy: 0.9 + 1 / 100 + 0.0012345678 },
      { epoch: 2, valAccuracy: 0.9 + 2 / 100 + 0.0012345678 },
    ]);
    const seen = JSON.parse(await readFile(path.join(dir, 'trials', 'slow', 'seen.json'), 'utf8'));
    expect(seen.args).toContain('--json');
  });

  it('passes an abort on to the trial, which ends as interrupted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const outcome = await runnerFor('slow')(job('abort'), controller.signal);
    expect(outcome.status).toBe('interrupted');
  });

  it('kills a trial that ignores SIGINT once the grace period is over', async () => {
    const outcome = await runnerFor(
      'deaf',
      { trialTimeLimit: 0.3 },
      0.3,
    )(job('deaf'), new AbortController().signal);
    expect(outcome.status).toBe('timed-out');
    expect(outcome.history).toEqual([]);
  });

  it('reports failures with the end of the error output, and flags usage errors', async () => {
    const crash = await runnerFor('crash')(job('crash'), new AbortController().signal);
    expect(crash).toMatchObject({
      status: 'failed',
      history: [],
      error: 'mnist-train: unexpected error: boom\n    at somewhere',
    });
    expect(crash.usageError).toBeUndefined();
    const usage = await runnerFor('usage')(job('usage'), new AbortController().signal);
    expect(usage).toMatchObject({
      status: 'failed',
      usageError: true,
      error: 'mnist-train: --data-dir /nope: no such folder',
    });
    const missing = await createProcessTrialRunner({
      cliPath,
      settings,
      nodePath: path.join(dir, 'no-node'),
    })(job('missing'), new AbortController().signal);
    expect(missing.status).toBe('failed');
    expect(missing.error).toMatch(/ENOENT/);
  });
});
