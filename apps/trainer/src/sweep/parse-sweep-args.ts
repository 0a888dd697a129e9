import { Option } from 'commander';
import { CliUsageError } from '../cli-usage-error.js';
import { fraction, nonEmptyPath, positiveNumber, threadCount, wholeNumber } from '../option-parsers.js';
import { createQuietCommand, parseQuietly, type QuietCommand } from '../quiet-command.js';
import { parseSweepList } from './parse-search-space.js';
import { SWEEP_PARAMS } from './sweep-params.js';
import type { SearchSpace, SweepSettings } from './sweep-types.js';

/** What `mnist-train sweep ...` asked for; paths are as typed (resolved later). */
export interface SweepCliOptions {
  /** Lists given as flags (`--dropout 0.25,0.5`). */
  flagSpace: SearchSpace;
  spaceFile?: string;
  search: 'grid' | 'random';
  /** `--trials`: how many points random search tries. */
  trials?: number;
  parallel: number;
  /** `--threads`: gradient threads of every trial; unset, the sweep picks (see `trialThreads`). */
  threads?: number | 'auto';
  /** Shared trial settings; `epochs` and `seed` are filled from the defaults when not given. */
  settings: SweepSettings;
  out: string;
  quiet: boolean;
}

/** Either options to run with, or text to print (`--help`). */
export type ParsedSweepCli = { action: 'run'; options: SweepCliOptions } | { action: 'print'; text: string };

/** Defaults shown in `--help` and used for unset flags. */
export interface SweepCliDefaults {
  epochs: number;
  seed: number;
  parallel: number;
}

/** The sweep folder used when `--out` is not given. */
export const DEFAULT_SWEEP_DIR = './artifacts/sweep';

const BACKENDS = ['auto', 'node', 'wasm', 'cpu'];

function buildProgram(defaults: SweepCliDefaults): QuietCommand {
  const command = createQuietCommand(
    'mnist-train sweep',
    'Search hyperparameters: train one short trial per combination, in parallel processes, and rank the trials ' +
      'by their best validation accuracy. Writes sweep.json, sweep.html and best.json (a --config file) to --out.',
  );
  const { program } = command;
  const add = (option: Option) => program.addOption(option);

  for (const spec of SWEEP_PARAMS) {
    add(
      new Option(`${spec.flag} <list>`, `values of ${spec.name} to try, comma-separated`).argParser((raw) =>
        parseSweepList(spec, raw),
      ),
    );
  }
  add(
    new Option(
      '--space <file>',
      'JSON file {"convLayers": [2,3], "filters": [32, [32,64,64]], ...}; flags override it',
    ).argParser(nonEmptyPath('--space')),
  );
  add(
    new Option('--search <kind>', 'grid: every combination; random: --trials of them')
      .choices(['grid', 'random'])
      .default('grid'),
  );
  add(new Option('--trials <n>', 'trials of a random search').argParser(wholeNumber('--trials', 1)));
  add(
    new Option(
      '--parallel <n>',
      `trials running at once (default: ${defaults.parallel}, the number of cores)`,
    ).argParser(wholeNumber('--parallel', 1)),
  );
  add(
    new Option(
      '--threads <n|auto>',
      'gradient threads of each trial (default: 1 when more than one trial runs at a time, else auto)',
    ).argParser(threadCount('--threads')),
  );
  add(
    new Option(
      '--trial-time-limit <seconds>',
      'stop a trial this many seconds after it starts and score the epochs it finished',
    ).argParser(positiveNumber('--trial-time-limit')),
  );
  add(
    new Option('--epochs <n>', `epochs per trial (default: ${defaults.epochs})`).argParser(
      wholeNumber('--epochs', 1),
    ),
  );
  add(
    new Option(
      '--early-stopping-patience <n>',
      'stop a trial after n epochs without a better validation loss, 0 for never',
    ).argParser(wholeNumber('--early-stopping-patience', 0)),
  );
  add(
    new Option(
      '--seed <n>',
      `seed of every trial and of random search (default: ${defaults.seed})`,
    ).argParser(wholeNumber('--seed', 0)),
  );
  add(
    new Option('--train-limit <n>', 'use only the first n training images').argParser(
      wholeNumber('--train-limit', 1),
    ),
  );
  add(
    new Option('--validation-split <x>', 'fraction held out for validation, in (0, 1)').argParser(
      fraction('--validation-split'),
    ),
  );
  add(new Option('--backend <name>', 'tfjs backend of every trial').choices(BACKENDS));
  add(new Option('--data-dir <dir>', 'folder of MNIST IDX files').argParser(nonEmptyPath('--data-dir')));
  add(
    new Option('--out <dir>', 'sweep folder; rerunning into the same folder skips finished trials')
      .default(DEFAULT_SWEEP_DIR)
      .argParser(nonEmptyPath('--out')),
  );
  add(new Option('--quiet', 'print nothing but errors'));
  program.addHelpText(
    'after',
    [
      '',
      'Example: mnist-train sweep --conv-layers 2,3,4 --kernel-size 3,5 --dropout 0.25,0.5 --epochs 2 --train-limit 6000',
      'Exit status: 0 every trial ran, 1 a trial failed or the sweep could not write, 2 bad flag or space, 130 interrupted.',
    ].join('\n'),
  );
  return command;
}

interface RawOptions {
  space?: string;
  search: 'grid' | 'random';
  trials?: number;
  parallel?: number;
  threads?: number | 'auto';
  trialTimeLimit?: number;
  epochs?: number;
  earlyStoppingPatience?: number;
  seed?: number;
  trainLimit?: number;
  validationSplit?: number;
  backend?: string;
  dataDir?: string;
  out: string;
  quiet?: boolean;
  [list: string]: unknown;
}

/**
 * Parses the arguments after `sweep`. Pure: prints nothing, never exits. Space lists use the
 * trainer's own value parsers; shared flags mean what they mean for one run.
 * @throws CliUsageError (a SearchSpaceError for bad lists) naming the flag.
 */
export function parseSweepArgs(argv: readonly string[], defaults: SweepCliDefaults): ParsedSweepCli {
  const command = buildProgram(defaults);
  const printed = parseQuietly(command, argv, 'sweep: ');
  if (printed !== null) return printed;
  const raw = command.program.opts<RawOptions>();
  if (raw.search === 'random' && raw.trials === undefined) {
    throw new CliUsageError('sweep: --search random needs --trials <n>, the number of combinations to try.');
  }
  if (raw.search === 'grid' && raw.trials !== undefined) {
    throw new CliUsageError(
      'sweep: --trials only applies to --search random; a grid search tries every combination.',
    );
  }
  if (raw.validationSplit === 0) {
    throw new CliUsageError(
      'sweep: --validation-split must be above 0: trials are ranked by validation accuracy.',
    );
  }
  const flagSpace: SearchSpace = {};
  for (const spec of SWEEP_PARAMS) {
    const values = raw[spec.name];
    if (Array.isArray(values)) flagSpace[spec.name] = values as number[];
  }
  const settings: SweepSettings = { epochs: raw.epochs ?? defaults.epochs, seed: raw.seed ?? defaults.seed };
  if (raw.trainLimit !== undefined) settings.trainLimit = raw.trainLimit;
  if (raw.validationSplit !== undefined) settings.validationSplit = raw.validationSplit;
  if (raw.earlyStoppingPatience !== undefined) settings.earlyStoppingPatience = raw.earlyStoppingPatience;
  if (raw.trialTimeLimit !== undefined) settings.trialTimeLimit = raw.trialTimeLimit;
  if (raw.backend !== undefined) settings.backend = raw.backend;
  if (raw.dataDir !== undefined) settings.dataDir = raw.dataDir;
  return {
    action: 'run',
    options: {
      flagSpace,
      ...(raw.space === undefined ? {} : { spaceFile: raw.space }),
      search: raw.search,
      ...(raw.trials === undefined ? {} : { trials: raw.trials }),
      parallel: raw.parallel ?? defaults.parallel,
      ...(raw.threads === undefined ? {} : { threads: raw.threads }),
      settings,
      out: raw.out,
      quiet: raw.quiet === true,
    },
  };
}
