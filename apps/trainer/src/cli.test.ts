import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonEvent } from './json-events.js';
import type { RunMetrics } from './run-metrics.js';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(appDir, 'dist', 'cli.js');
const run = promisify(execFile);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function runCli(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], {
      cwd: appDir,
      env: { ...process.env, INIT_CWD: '', ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** What `pnpm train` (a script of the package itself) adds to the environment besides INIT_CWD. */
const PNPM_TRAIN = { npm_package_name: '@mnist/cli', npm_lifecycle_event: 'start' };

let dir: string;
beforeAll(async () => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`pnpm --filter @mnist/cli build\` first`);
  dir = await mkdtemp(path.join(tmpdir(), 'trainer-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every line of a `--json` run's stdout, parsed; a line that is not a JSON object fails the test. */
function jsonLines(stdout: string): JsonEvent[] {
  const lines = stdout.split('\n');
  expect(lines.pop(), 'stdout ends with a newline').toBe('');
  return lines.map((line) => {
    const event = JSON.parse(line) as JsonEvent;
    expect(event, line).toMatchObject({ type: expect.any(String), formatVersion: 1 });
    return event;
  });
}

describe('mnist-train (dist/cli.js)', () => {
  it('prints its version, lists the subcommands in --help, and the sweep flags in sweep --help', async () => {
    const manifest = JSON.parse(await readFile(path.join(appDir, 'package.json'), 'utf8')) as {
      version: string;
    };
    const version = await runCli(['--version']);
    expect(version).toEqual({ code: 0, stdout: `${manifest.version}\n`, stderr: '' });
    const help = await runCli(['--', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: mnist-train [train] [options]');
    expect(help.stdout).toMatch(/^Commands:\n {2}train {2}\(the default\).*\n {2}sweep {2}/m);
    expect((await runCli(['train', '--help'])).stdout).toBe(help.stdout);
    const sweep = await runCli(['--', 'sweep', '--help']);
    expect(sweep.code).toBe(0);
    expect(sweep.stdout).toContain('Usage: mnist-train sweep [options]');
    expect(sweep.stdout).toContain('--trial-time-limit');
    const unknown = await runCli(['swep', '--dropout', '0.5']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "swep": mnist-train runs train (the default) or sweep');
  });

  it('with --json, reports a bad flag as one error event on stdout and the message on stderr', async () => {
    const outcome = await runCli(['--json', '--epochs', '-1']);
    expect(outcome.code).toBe(2);
    expect(jsonLines(outcome.stdout)).toEqual([
      {
        type: 'error',
        formatVersion: 1,
        exitStatus: 2,
        message: expect.stringContaining('--epochs accepts a whole number of 1 or more (got "-1")'),
        checkpoint: null,
      },
    ]);
    expect(outcome.stderr).toContain('Run mnist-train --help');
  });

  it('with --json, prints start, progress, epochEnd, epochTest and done as JSON lines, human output on stderr', async () => {
    const out = path.join(dir, 'json-run');
    const args = ['--json', '--epochs', '2', '--train-limit', '600', '--backend', 'wasm', '--seed', '3'];
    args.push('--conv-layers', '1', '--filters', '4', '--dense-units', '16', '--out', out);
    args.push('--batch-size', '64', '--validation-split', '0.1');
    const outcome = await runCli(args);
    expect(outcome.code).toBe(0);
    const events = jsonLines(outcome.stdout);
    // 540 training images in batches of 64: 9 batches, progress after 3, 5 and 7 of them.
    const epoch = ['progress', 'progress', 'progress', 'epochEnd', 'epochTest'];
    expect(events.map((e) => e.type)).toEqual(['start', ...epoch, ...epoch, 'done']);

    const metrics = JSON.parse(await readFile(path.join(out, 'metrics.json'), 'utf8')) as RunMetrics;
    const [start] = events;
    expect(start).toMatchObject({
      backend: 'wasm',
      threads: metrics.threads,
      epochs: 2,
      batchesPerEpoch: 9,
      config: metrics.config,
      data: metrics.data,
      model: metrics.model,
      targetAccuracy: 0.99,
      outDir: out,
      resumedFrom: null,
      startedAt: metrics.startedAt,
    });
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.map((e) => [e.epoch, e.batchesDone, e.batchesPerEpoch])).toEqual([
      [0, 3, 9],
      [0, 5, 9],
      [0, 7, 9],
      [1, 3, 9],
      [1, 5, 9],
      [1, 7, 9],
    ]);
    for (const p of progress) {
      expect(p.loss).toBeGreaterThan(0);
      expect(p.accuracy).toBeGreaterThanOrEqual(0);
      expect(p.accuracy).toBeLessThanOrEqual(1);
      expect(p.etaSeconds).toBeGreaterThanOrEqual(0);
    }
    // The epoch records and test figures of metrics.json, to the last digit.
    const epochEnds = events.filter((e) => e.type === 'epochEnd');
    expect(epochEnds.map(({ type: _t, formatVersion: _v, epochs: _e, ...record }) => record)).toEqual(
      metrics.history,
    );
    const tests = events.filter((e) => e.type === 'epochTest');
    expect(tests.map(({ epoch, accuracy, loss, seconds }) => ({ epoch, accuracy, loss, seconds }))).toEqual(
      metrics.epochTests,
    );
    expect(tests[0]).toMatchObject({ epochs: 2, testSamples: 10_000 });
    const done = events.at(-1);
    expect(done).toEqual({
      type: 'done',
      formatVersion: 1,
      exitStatus: 0,
      finishedAt: metrics.finishedAt,
      totalSeconds: metrics.totalSeconds,
      training: metrics.training,
      test: metrics.test,
      timeToTarget: metrics.timeToTarget,
      files: {
        outDir: out,
        model: path.join(out, 'model.json'),
        weights: path.join(out, 'weights.bin'),
        metrics: path.join(out, 'metrics.json'),
        report: path.join(out, 'report.html'),
      },
    });
    // The human output moved to stderr, whole: the same plain lines a run without --json prints.
    expect(outcome.stderr).toContain('backend: wasm');
    expect(outcome.stderr).toMatch(/^epoch 1 {2}33% \(3\/9\) {2}loss [\d.]+ {2}acc [\d.]+%/m);
    expect(outcome.stderr).toMatch(/^epoch 2\/2 {2}loss [\d.]+ {2}acc [\d.]+% {2}val_loss/m);
    expect(outcome.stderr).toContain(`wrote model.json, weights.bin, metrics.json and report.html to ${out}`);
    expect(outcome.stderr).not.toContain('{"type"');
  });

  it('with --augment, trains on augmented images and records the augmentation in the events, metrics.json and the report', async () => {
    const out = path.join(dir, 'augment-run');
    const args = ['--json', '--epochs', '1', '--train-limit', '300', '--backend', 'wasm', '--seed', '5'];
    args.push('--conv-layers', '1', '--filters', '4', '--dense-units', '16', '--target-accuracy', 'off');
    args.push('--augment', 'rotation=10,shift=0.1,elastic=34:4', '--out', out);
    const outcome = await runCli(args);
    expect(outcome.code, outcome.stderr).toBe(0);
    const augmentation = {
      rotationDegrees: 10,
      scale: 0,
      shift: 0.1,
      shear: 0,
      elastic: { alpha: 34, sigma: 4 },
    };
    const [start] = jsonLines(outcome.stdout);
    expect(start).toMatchObject({ type: 'start', config: { training: { augmentation } } });
    const metrics = JSON.parse(await readFile(path.join(out, 'metrics.json'), 'utf8')) as RunMetrics;
    expect(metrics.config.training.augmentation).toEqual(augmentation);
    const html = await readFile(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Augmentation</h2>');
    expect(html.match(/<figure class="pair">/g)).toHaveLength(8);
  });

  it('exits with status 2 and names the flag for --epochs -1', async () => {
    const outcome = await runCli(['--epochs', '-1']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('--epochs accepts a whole number of 1 or more (got "-1")');
    expect(outcome.stdout).toBe('');
  });

  it('refuses an unknown --recipe with status 2, listing the recipes', async () => {
    const outcome = await runCli(['--recipe', 'fastest']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(
      'mnist-train: --recipe fastest: unknown recipe "fastest"; the recipes are "best", "default", "fast"',
    );
    const help = await runCli(['--help']);
    expect(help.stdout).toMatch(
      /^Recipes \(--recipe NAME\):\n {2}best {5}\S.*\n {2}default {2}\S.*\n {2}fast {5}\S/m,
    );
  });

  it('trains from a --recipe with a --config file and flags over it, and records the recipe', async () => {
    const config = path.join(dir, 'over-recipe.json');
    await writeFile(
      config,
      JSON.stringify({ model: { filters: [8, 8, 8] }, training: { batchSize: 100, epochs: 1 } }),
    );
    const args = ['--recipe', 'fast', '--config', config, '--train-limit', '1000', '--backend', 'wasm'];
    args.push('--target-accuracy', 'off', '--schedule', 'warmup-cosine', '--label-smoothing', '0.1');
    const outcome = await runCli([...args, '--out', path.join(dir, 'recipe-run')]);
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    const metrics = JSON.parse(
      await readFile(path.join(dir, 'recipe-run', 'metrics.json'), 'utf8'),
    ) as RunMetrics;
    expect(metrics.recipe).toBe('fast');
    // The recipe's values, the file's over them, the flags' over both.
    expect(metrics.config.model).toMatchObject({ convLayers: 3, filters: [8, 8, 8], denseUnits: 128 });
    expect(metrics.config.training).toMatchObject({
      epochs: 1,
      batchSize: 100,
      learningRate: 0.008,
      labelSmoothing: 0.1,
      weightDecay: 0,
      learningRateSchedule: { kind: 'warmupCosine', warmupFraction: 0.1, minLearningRate: 0 },
    });
    expect(metrics.history).toHaveLength(1);
    expect(metrics.history[0]!.learningRate).toBeGreaterThan(0);
    expect(metrics.history[0]!.learningRate).toBeLessThan(0.008);
  });

  it('exits with status 2 for a --config value the model rejects, naming the file', async () => {
    const config = path.join(dir, 'bad-config.json');
    await writeFile(config, JSON.stringify({ model: { convLayers: 2, filters: [8, 8, 8] } }));
    const outcome = await runCli(['--config', 'bad-config.json'], { INIT_CWD: dir, ...PNPM_TRAIN });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(`invalid configuration (from flags and --config ${config})`);
    expect(outcome.stderr).toContain('filters');
  });

  it('takes relative paths from its working folder when INIT_CWD comes from another package’s script', async () => {
    // What `"train": "cd sub && mnist-train --config run.json"` in some project's package.json
    // passes on: npm's INIT_CWD names that project's folder, not the one the command runs in.
    const outcome = await runCli(['--config', 'missing.json'], {
      INIT_CWD: dir,
      npm_package_name: 'some-project',
    });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(
      `--config ${path.join(appDir, 'missing.json')}: cannot read the file (ENOENT)`,
    );
  });

  it('reports an output folder it cannot create before training, with status 1', async () => {
    const file = path.join(dir, 'not-a-folder');
    await writeFile(file, '');
    const outcome = await runCli(['--out', path.join(file, 'out'), '--backend', 'cpu']);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(`--out ${path.join(file, 'out')}: cannot create the folder (ENOTDIR)`);
    expect(outcome.stdout).not.toContain('training on');
  });

  it('trains, evaluates and writes a model that plain tf.loadLayersModel loads with the same predictions', async () => {
    // INIT_CWD is where `pnpm train` was typed: the relative --out must land there, not in apps/trainer.
    const args = ['--', '--epochs', '1', '--train-limit', '2000', '--backend', 'wasm', '--seed', '7'];
    args.push('--conv-layers', '1', '--filters', '8', '--dense-units', '32', '--learning-rate', '0.003');
    // Plain images at a constant rate: what one short epoch of a one-layer model learns most from.
    args.push(
      '--batch-size',
      '64',
      '--validation-split',
      '0.1',
      '--schedule',
      'constant',
      '--augment',
      'off',
    );
    const outcome = await runCli([...args, '--out', 'run1'], { INIT_CWD: dir, ...PNPM_TRAIN });
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    const out = path.join(dir, 'run1');
    expect((await readdir(out)).sort()).toEqual(['metrics.json', 'model.json', 'report.html', 'weights.bin']);

    // Not a terminal: plain lines, no bar.
    expect(outcome.stdout).toContain('backend: wasm, threads: auto');
    expect(outcome.stdout).toMatch(
      /model: 1 conv layer \(8 filters, 3x3\), dense 32, [\d,]+ parameters, [\d.]+ MFLOPs/,
    );
    expect(outcome.stdout).toMatch(
      /^epoch 1\/1 {2}loss [\d.]+ {2}acc [\d.]+% {2}val_loss [\d.]+ {2}val_acc [\d.]+%/m,
    );
    expect(outcome.stdout).toMatch(/ {4}accuracy +0\.\d{4} +10000/);
    // The default target: 99% test accuracy, scored after the epoch, out of reach of this tiny run.
    expect(outcome.stdout).toContain(
      'target: 99.00% test accuracy; the test images are scored after every epoch',
    );
    expect(outcome.stdout).toMatch(
      /^epoch 1\/1 {2}test_acc [\d.]+% {2}test_loss [\d.]+ {2}[\d.]+s on 10,000 test images$/m,
    );
    expect(outcome.stdout).toMatch(
      /^did not reach 99\.00% test accuracy in 1 epoch \(best [\d.]+% after epoch 1\); the per-epoch test evaluations took \d+s more$/m,
    );
    expect(outcome.stdout).not.toContain('\u001b[');

    const metrics = JSON.parse(await readFile(path.join(out, 'metrics.json'), 'utf8')) as RunMetrics;
    expect(metrics.backend).toBe('wasm');
    // `auto` stays on one thread for a run this short (under 20,000 training images).
    expect(metrics.threads).toBe(1);
    // Every supported Node has relaxed SIMD, so the FMA build of our kernels trains.
    expect(metrics.kernelBuild).toBe('fma');
    expect(metrics.seed).toBe(7);
    expect(metrics.config.training).toMatchObject({
      epochs: 1,
      batchSize: 64,
      validationSplit: 0.1,
      seed: 7,
    });
    expect(metrics.config.model).toMatchObject({ convLayers: 1, filters: 8, denseUnits: 32, poolAfter: [0] });
    expect(metrics.data).toMatchObject({ trainSamples: 1800, validationSamples: 200, testSamples: 10000 });
    expect(metrics.history).toHaveLength(1);
    for (const key of [
      'loss',
      'accuracy',
      'valLoss',
      'valAccuracy',
      'seconds',
      'samplesPerSecond',
    ] as const) {
      expect(Number.isFinite(metrics.history[0]![key])).toBe(true);
    }
    expect(metrics.test.count).toBe(10000);
    // One epoch: the model scored after it is the final model, so both test figures agree.
    expect(metrics.epochTests).toHaveLength(1);
    expect(metrics.epochTests[0]).toMatchObject({ epoch: 0, accuracy: metrics.test.accuracy });
    // And one loss: the per-epoch figure (float32 tensors on the training threads) and the final one
    // (`evaluateModel`, float64 in @mnist/metrics) clip and sum alike, up to float32 rounding.
    expect(Math.abs(metrics.epochTests[0]!.loss - metrics.test.loss)).toBeLessThanOrEqual(
      1e-6 * metrics.test.loss,
    );
    expect(metrics.timeToTarget).toEqual({
      target: 0.99,
      reached: false,
      epoch: null,
      seconds: null,
      epochs: 1,
      best: { epoch: 0, accuracy: metrics.test.accuracy },
      evaluationSeconds: metrics.epochTests[0]!.seconds,
      unmeasuredEpochs: [],
    });
    expect(metrics.config.training.threads).toBe('auto');
    // 1 epoch on 1,800 images is far from converged, but far above the 10% of chance.
    expect(metrics.test.accuracy).toBeGreaterThan(0.5);
    expect(metrics.test.perClass).toHaveLength(10);
    expect(metrics.test.macroAvg.support).toBe(10000);
    expect(metrics.test.weightedAvg.support).toBe(10000);
    expect(metrics.totalSeconds).toBeGreaterThan(0);
    expect(Date.parse(metrics.startedAt)).toBeLessThanOrEqual(Date.parse(metrics.finishedAt));
    expect(metrics.versions).toMatchObject({ '@tensorflow/tfjs-core': '4.22.0', node: process.version });
    expect(metrics.misclassified.count).toBe(Math.round(10000 * (1 - metrics.test.accuracy)));
    expect(metrics.misclassified.shown).toHaveLength(Math.min(48, metrics.misclassified.count));

    const html = await readFile(path.join(out, 'report.html'), 'utf8');
    expect(html.match(/<td class="cell/g)).toHaveLength(100);
    expect(html.match(/<svg class="chart"/g)).toHaveLength(2);
    expect(html).toContain('<b>Did not reach 99.00% test accuracy</b> in 1 epoch');
    expect(html.match(/<img src="data:image\/png;base64,/g)).toHaveLength(metrics.misclassified.shown.length);

    const script = path.join(appDir, 'src', 'fixtures', 'predict-saved-model.mjs');
    const { stdout } = await run(process.execPath, [script, out], {
      cwd: appDir,
      maxBuffer: 16 * 1024 * 1024,
    });
    const reloaded = JSON.parse(stdout) as { predictions: number[]; confidences: number[]; labels: number[] };
    const matrix = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
    reloaded.predictions.forEach((p, i) => {
      matrix[reloaded.labels[i]!]![p]!++;
    });
    expect(matrix).toEqual(metrics.test.confusionMatrix);
    for (const m of metrics.misclassified.shown) {
      expect(reloaded.predictions[m.index]).toBe(m.predicted);
      expect(reloaded.confidences[m.index]).toBeCloseTo(m.confidence, 5);
    }
  });
});
