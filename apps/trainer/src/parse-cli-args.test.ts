import type { ModelConfig } from '@mnist/model';
import { describe, expect, it } from 'vitest';
import { CliUsageError } from './cli-usage-error.js';
import {
  type CliDefaults,
  type CliOptions,
  describeAugmentation,
  parseCliArgs,
  stripLeadingSeparator,
} from './parse-cli-args.js';
import type { TrainerTrainingConfig } from './trainer-training-config.js';

const model: ModelConfig = {
  convLayers: 3,
  filters: [32, 64, 64],
  kernelSize: 3,
  poolAfter: [0, 1],
  dropout: 0.25,
  denseUnits: 128,
  batchNorm: false,
  inputNormalization: null,
};
const training: TrainerTrainingConfig = {
  epochs: 12,
  batchSize: 64,
  learningRate: 0.001,
  validationSplit: 0.1,
  seed: 42,
  backend: 'auto',
  threads: 'auto',
  earlyStopping: { patience: 3, minDelta: 0, restoreBestWeights: true },
  learningRateSchedule: { kind: 'constant' },
  labelSmoothing: 0,
  weightDecay: 0,
  augmentation: null,
};
const recipes = [
  { name: 'best', description: 'the most accurate' },
  { name: 'fast', description: 'the quickest to 99%' },
];
const defaults: CliDefaults = { model, training, version: '1.2.3', recipes };

function run(...argv: string[]): CliOptions {
  const parsed = parseCliArgs(argv, defaults);
  if (parsed.action !== 'run') throw new Error(`expected options, got ${parsed.action}`);
  return parsed.options;
}

function usageError(...argv: string[]): CliUsageError {
  try {
    parseCliArgs(argv, defaults);
  } catch (error) {
    expect(error).toBeInstanceOf(CliUsageError);
    expect((error as CliUsageError).exitCode).toBe(2);
    return error as CliUsageError;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
}

describe('parseCliArgs', () => {
  it('returns only the out default when no flag is given, so --config values are not overridden', () => {
    expect(run()).toEqual({
      model: {},
      training: {},
      targetAccuracy: 0.99,
      out: './artifacts',
      quiet: false,
      json: false,
    });
  });

  it('parses every flag into model, training and run options', () => {
    const options = run(
      ...['--epochs', '3', '--batch-size=128', '--learning-rate', '3e-4', '--validation-split', '0.2'],
      ...[
        '--seed',
        '0',
        '--backend',
        'wasm',
        '--threads',
        '3',
        '--target-accuracy',
        '98.5%',
        '--data-url',
        'http://127.0.0.1:8080/mnist/',
        '--cache-dir',
        'c',
      ],
      ...['--train-limit', '500', '--conv-layers', '2', '--kernel-size', '5', '--filters', '8,16'],
      ...['--dropout', '0', '--dense-units', '0', '--batch-norm', '--early-stopping-patience', '2'],
      ...['--config', 'run.json', '--out', './run1', '--quiet', '--json'],
    );
    expect(options).toEqual({
      model: { convLayers: 2, kernelSize: 5, filters: [8, 16], dropout: 0, denseUnits: 0, batchNorm: true },
      training: {
        epochs: 3,
        batchSize: 128,
        learningRate: 0.0003,
        validationSplit: 0.2,
        seed: 0,
        backend: 'wasm',
        threads: 3,
      },
      earlyStoppingPatience: 2,
      configFile: 'run.json',
      dataUrl: 'http://127.0.0.1:8080/mnist/',
      cacheDir: 'c',
      trainLimit: 500,
      targetAccuracy: 0.985,
      out: './run1',
      quiet: true,
      json: true,
    });
  });

  it('takes one filter count for all layers and --no-batch-norm as false', () => {
    expect(run('--filters', '16', '--no-batch-norm').model).toEqual({ filters: 16, batchNorm: false });
    expect(run('--data-dir', '/data/mnist').dataDir).toBe('/data/mnist');
  });

  it('reads --threads auto and --target-accuracy as a fraction, a bare percentage or off', () => {
    expect(run('--threads', 'auto').training).toEqual({ threads: 'auto' });
    expect(run('--target-accuracy', '0.97').targetAccuracy).toBe(0.97);
    expect(run('--target-accuracy', '99').targetAccuracy).toBe(0.99);
    expect(run('--target-accuracy', 'off').targetAccuracy).toBeNull();
  });

  it('reads --augment into training.augmentation, off as null, and refuses a bad one naming the flag', () => {
    expect(run('--augment', 'rotation=15,scale=0.15,shift=0.1').training).toEqual({
      augmentation: { rotationDegrees: 15, scale: 0.15, shift: 0.1, shear: 0, elastic: null },
    });
    expect(run('--augment', 'off').training).toEqual({ augmentation: null });
    expect(run('--epochs', '1').training).toEqual({ epochs: 1 });
    const error = usageError('--augment', 'rotation=200');
    expect(error).toBeInstanceOf(CliUsageError);
    expect(error.message).toContain('--augment accepts off or comma-separated key=value pairs');
    expect(error.message).toContain('(got "rotation=200"): rotation must be a number in [0, 180]');
  });

  it('shows a default augmentation in --help as --augment writes it', () => {
    const augmentation = {
      rotationDegrees: 15,
      scale: 0.15,
      shift: 0.1,
      shear: 0,
      elastic: { alpha: 34, sigma: 4 },
    };
    expect(describeAugmentation(augmentation)).toBe('rotation=15,scale=0.15,shift=0.1,elastic=34:4');
    const help = parseCliArgs(['--help'], { ...defaults, training: { ...training, augmentation } });
    expect(help.action === 'print' ? help.text.replace(/\s+/g, ' ') : '').toContain(
      '(default: rotation=15,scale=0.15,shift=0.1,elastic=34:4)',
    );
  });

  it('drops the literal -- that `pnpm train -- --epochs 1` passes first', () => {
    expect(stripLeadingSeparator(['--', '--epochs', '1'])).toEqual(['--epochs', '1']);
    expect(stripLeadingSeparator(['--epochs', '1', '--'])).toEqual(['--epochs', '1', '--']);
    expect(run('--', '--epochs', '1').training).toEqual({ epochs: 1 });
  });

  it('prints help with every flag and its default, and the version', () => {
    const help = parseCliArgs(['--help'], defaults);
    expect(help.action).toBe('print');
    const text = help.action === 'print' ? help.text : '';
    for (const flag of [
      '--epochs',
      '--batch-size',
      '--learning-rate',
      '--validation-split',
      '--seed',
      '--backend',
      '--data-dir',
      '--data-url',
      '--cache-dir',
      '--train-limit',
      '--conv-layers',
      '--kernel-size',
      '--filters',
      '--dropout',
      '--dense-units',
      '--batch-norm',
      '--early-stopping-patience',
      '--threads',
      '--target-accuracy',
      '--schedule',
      '--warmup-fraction',
      '--initial-divisor',
      '--final-divisor',
      '--min-learning-rate',
      '--decay-rate',
      '--step-every',
      '--step-factor',
      '--label-smoothing',
      '--weight-decay',
      '--recipe',
      '--augment',
      '--config',
      '--out',
      '--quiet',
      '--json',
      '--version',
    ]) {
      expect(text).toContain(flag);
    }
    // One dispatch for the subcommands: the help of the default one lists them all.
    expect(text).toMatch(/^Usage: mnist-train \[train\] \[options\]$/m);
    expect(text).toMatch(
      /^Commands:\n {2}train {2}\(the default\) .*\n {2}sweep {2}.*mnist-train sweep --help/m,
    );
    expect(text).toContain('(default: 12)');
    expect(text).toContain('(default: 32,64,64)');
    expect(text).toContain('(default: "./artifacts")');
    expect(text).toContain('Exit status');
    expect(text).toContain('(default: auto)');
    expect(text).toContain('for reporting only');
    // The recipes, with their descriptions.
    expect(text).toMatch(
      /^Recipes \(--recipe NAME\):\n {2}best {2}the most accurate\n {2}fast {2}the quickest to 99%$/m,
    );
    for (const kind of ['constant', 'exponential', 'step', 'cosine', 'one-cycle', 'warmup-cosine']) {
      expect(text).toContain(`"${kind}"`);
    }
    expect(text).toMatch(
      /--augment <spec\|off>[\s\S]*rotation=DEG,scale=X,shift=X,shear=DEG,elastic=ALPHA:SIGMA[\s\S]*\(default: off\)/,
    );
    expect(parseCliArgs(['--version'], defaults)).toEqual({ action: 'print', text: '1.2.3\n' });
    expect(parseCliArgs(['-V'], defaults)).toEqual({ action: 'print', text: '1.2.3\n' });
  });

  it('reads --recipe, the schedule flags, --label-smoothing and --weight-decay', () => {
    const options = run(
      '--recipe',
      'fast',
      '--schedule',
      'one-cycle',
      '--warmup-fraction',
      '0.25',
      '--initial-divisor',
      '10',
      '--final-divisor',
      '1e3',
      '--label-smoothing',
      '0.1',
      '--weight-decay',
      '0.01',
    );
    expect(options.recipe).toBe('fast');
    expect(options.schedule).toEqual({
      kind: 'oneCycle',
      warmupFraction: 0.25,
      initialDivisor: 10,
      finalDivisor: 1000,
    });
    expect(options.training).toEqual({ labelSmoothing: 0.1, weightDecay: 0.01 });
    expect(run('--schedule', 'warmup-cosine', '--min-learning-rate', '0').schedule).toEqual({
      kind: 'warmupCosine',
      minLearningRate: 0,
    });
    expect(run('--decay-rate', '0.5', '--step-every', '3', '--step-factor', '0.2').schedule).toEqual({
      decayRate: 0.5,
      everyEpochs: 3,
      factor: 0.2,
    });
    // No schedule flag: nothing to layer over the recipe's or the file's schedule.
    expect(run('--epochs', '2')).not.toHaveProperty('schedule');
  });

  it('refuses a first word that is no subcommand, naming the ones there are', () => {
    expect(usageError('swep', '--epochs', '1').message).toBe(
      'unknown command "swep": mnist-train runs train (the default) or sweep',
    );
    expect(usageError('--', 'fit').message).toMatch(/^unknown command "fit"/);
  });

  it.each([
    [['--epochs', '-1'], /--epochs.*whole number of 1 or more.*"-1"/],
    [['--epochs', '0'], /--epochs.*whole number of 1 or more/],
    [['--epochs', '1.5'], /--epochs.*whole number/],
    [['--epochs', 'NaN'], /--epochs.*whole number/],
    [['--epochs', ''], /--epochs.*whole number/],
    [['--batch-size', '0x10'], /--batch-size.*whole number/],
    [['--seed', '-3'], /--seed.*whole number of 0 or more/],
    [['--learning-rate', '0'], /--learning-rate.*greater than 0/],
    [['--learning-rate', 'fast'], /--learning-rate.*greater than 0/],
    [['--validation-split', '1'], /--validation-split.*from 0 up to but not including 1/],
    [['--dropout', '-0.1'], /--dropout.*from 0 up to but not including 1/],
    [['--filters', '8,,16'], /--filters.*comma-separated list/],
    [['--dense-units', '-1'], /--dense-units.*0 or more/],
    [['--train-limit', '0'], /--train-limit.*1 or more/],
    [['--early-stopping-patience', '2.5'], /--early-stopping-patience.*whole number/],
    [['--threads', '0'], /--threads accepts auto or a whole number from 1 to 64 \(got "0"\)/],
    [['--threads', 'all'], /--threads accepts auto or a whole number from 1 to 64/],
    [
      ['--target-accuracy', '150'],
      /--target-accuracy accepts a fraction such as 0\.99, a percentage .* or off \(got "150"\)/,
    ],
    [['--target-accuracy', 'high'], /--target-accuracy accepts a fraction/],
    [['--backend', 'gpu'], /--backend.*Allowed choices are auto, node, wasm, cpu/],
    [['--data-url', 'ftp://example.com/'], /--data-url.*http/],
    [['--data-url', 'not a url'], /--data-url.*http/],
    [['--data-dir', 'a', '--data-url', 'http://127.0.0.1/'], /--data-dir.*cannot be used with.*--data-url/],
    [['--cache-dir', 'c'], /--cache-dir only applies.*--data-url/],
    [['--epochs'], /--epochs.*argument missing/],
    [['--epoch', '3'], /unknown option '--epoch'.*Did you mean --epochs/s],
    [['train'], /too many arguments/],
    [
      ['--schedule', 'onecycle'],
      /--schedule.*Allowed choices are constant, exponential, step, cosine, one-cycle, warmup-cosine/,
    ],
    [
      ['--warmup-fraction', '1'],
      /--warmup-fraction accepts a number from 0 up to but not including 1 \(got "1"\)/,
    ],
    [['--initial-divisor', '0'], /--initial-divisor accepts a number greater than 0 \(got "0"\)/],
    [['--final-divisor', 'x'], /--final-divisor accepts a number greater than 0/],
    [['--min-learning-rate', '-1e-5'], /--min-learning-rate accepts a number of 0 or more \(got "-1e-5"\)/],
    [['--decay-rate', '1.5'], /--decay-rate accepts a number above 0, at most 1 \(got "1.5"\)/],
    [['--step-factor', '0'], /--step-factor accepts a number above 0, at most 1/],
    [['--step-every', '0'], /--step-every accepts a whole number of 1 or more/],
    [
      ['--label-smoothing', '1'],
      /--label-smoothing accepts a number from 0 up to but not including 1 \(got "1"\)/,
    ],
    [['--weight-decay', '-0.1'], /--weight-decay accepts a number of 0 or more \(got "-0.1"\)/],
    [['--recipe', ''], /--recipe accepts/],
  ])('rejects %j with status 2 and a message naming the flag', (argv, message) => {
    expect(usageError(...argv).message).toMatch(message);
  });
});
