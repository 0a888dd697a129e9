import { describe, expect, it } from 'vitest';
import { CliUsageError } from '../cli-usage-error.js';
import { parseSweepArgs, type SweepCliOptions } from './parse-sweep-args.js';
import { SearchSpaceError } from './search-space-error.js';

const defaults = { epochs: 6, seed: 42, parallel: 2 };

function run(...argv: string[]): SweepCliOptions {
  const parsed = parseSweepArgs(argv, defaults);
  if (parsed.action !== 'run') throw new Error('expected options');
  return parsed.options;
}

function usage(...argv: string[]): CliUsageError {
  try {
    parseSweepArgs(argv, defaults);
  } catch (error) {
    expect(error).toBeInstanceOf(CliUsageError);
    expect((error as CliUsageError).exitCode).toBe(2);
    return error as CliUsageError;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
}

describe('parseSweepArgs', () => {
  it('reads the documented sweep: lists from trainer flags, shared settings, grid by default', () => {
    const options = run(
      ...['--conv-layers', '2,3,4', '--kernel-size', '3,5', '--dropout', '0.25,0.5', '--epochs', '2'],
      ...['--train-limit', '6000', '--parallel', '2', '--out', 'sw'],
    );
    expect(options).toEqual({
      flagSpace: { convLayers: [2, 3, 4], kernelSize: [3, 5], dropout: [0.25, 0.5] },
      search: 'grid',
      parallel: 2,
      settings: { epochs: 2, seed: 42, trainLimit: 6000 },
      out: 'sw',
      quiet: false,
    });
  });

  it('reads every other flag', () => {
    const options = run(
      ...['--filters', '8,16', '--dense-units', '0,64', '--learning-rate', '1e-3,3e-4', '--batch-size=32,64'],
      ...[
        '--space',
        's.json',
        '--search',
        'random',
        '--trials',
        '5',
        '--trial-time-limit',
        '90',
        '--seed',
        '7',
        '--threads',
        '2',
      ],
      ...[
        '--validation-split',
        '0.2',
        '--early-stopping-patience',
        '0',
        '--backend',
        'wasm',
        '--data-dir',
        'd',
        '--quiet',
      ],
    );
    expect(options).toEqual({
      flagSpace: {
        filters: [8, 16],
        denseUnits: [0, 64],
        learningRate: [0.001, 0.0003],
        batchSize: [32, 64],
      },
      spaceFile: 's.json',
      search: 'random',
      trials: 5,
      parallel: 2,
      threads: 2,
      settings: {
        epochs: 6,
        seed: 7,
        validationSplit: 0.2,
        earlyStoppingPatience: 0,
        trialTimeLimit: 90,
        backend: 'wasm',
        dataDir: 'd',
      },
      out: './artifacts/sweep',
      quiet: true,
    });
  });

  it('reports bad lists as search-space errors naming the flag', () => {
    const error = usage('--dropout', '0.25,0.25');
    expect(error).toBeInstanceOf(SearchSpaceError);
    expect(error.message).toBe('--dropout "0.25,0.25" lists 0.25 twice; give each value once.');
    expect(usage('--kernel-size', '3,x').message).toMatch(
      /^--kernel-size "3,x": --kernel-size accepts a whole number/,
    );
  });

  it('refuses unknown flags, bad settings and inconsistent search options', () => {
    expect(usage('--dropuot', '0.5').message).toMatch(/^sweep: unknown option '--dropuot'/);
    expect(usage('--epochs', '0').message).toMatch(/--epochs accepts a whole number of 1 or more/);
    expect(usage('--search', 'bayes').message).toMatch(/--search.*bayes.*grid, random/s);
    expect(usage('--search', 'random').message).toMatch(/--search random needs --trials/);
    expect(usage('--trials', '3').message).toMatch(/--trials only applies to --search random/);
    expect(usage('--validation-split', '0').message).toMatch(/ranked by validation accuracy/);
    expect(usage('--parallel', '0').message).toMatch(/--parallel accepts a whole number of 1 or more/);
    expect(usage('--threads', '65').message).toMatch(/--threads accepts auto or a whole number from 1 to 64/);
    expect(usage('--trial-time-limit', '-5').message).toMatch(
      /--trial-time-limit accepts a number greater than 0/,
    );
  });

  it('prints help with every flag', () => {
    const parsed = parseSweepArgs(['--help'], defaults);
    expect(parsed.action).toBe('print');
    if (parsed.action !== 'print') return;
    for (const flag of [
      '--conv-layers',
      '--space',
      '--search',
      '--trials',
      '--parallel',
      '--threads',
      '--trial-time-limit',
      '--out',
    ]) {
      expect(parsed.text).toContain(flag);
    }
  });
});
