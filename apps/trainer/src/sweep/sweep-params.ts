import { fraction, positiveNumber, wholeNumber } from '../option-parsers.js';
import type { SweepParamName } from './sweep-types.js';

/** How one searchable hyperparameter is given on the command line and where it goes in a run's config. */
export interface SweepParamSpec {
  name: SweepParamName;
  /** The trainer flag that sets it for one run, and lists its values in a sweep. */
  flag: string;
  section: 'model' | 'training';
  /** The trainer's own parser for one value of the flag (throws commander's `InvalidArgumentError`). */
  parse: (raw: string) => number;
}

/**
 * The parameters a sweep searches, in the order grids are expanded (the last varies fastest) and
 * reports list them. Each value is checked by the same parser as the trainer's flag, so a sweep
 * accepts exactly what a single run accepts.
 */
export const SWEEP_PARAMS: readonly SweepParamSpec[] = [
  { name: 'convLayers', flag: '--conv-layers', section: 'model', parse: wholeNumber('--conv-layers', 1) },
  { name: 'kernelSize', flag: '--kernel-size', section: 'model', parse: wholeNumber('--kernel-size', 1) },
  { name: 'filters', flag: '--filters', section: 'model', parse: wholeNumber('--filters', 1) },
  { name: 'dropout', flag: '--dropout', section: 'model', parse: fraction('--dropout') },
  { name: 'denseUnits', flag: '--dense-units', section: 'model', parse: wholeNumber('--dense-units', 0) },
  {
    name: 'learningRate',
    flag: '--learning-rate',
    section: 'training',
    parse: positiveNumber('--learning-rate'),
  },
  { name: 'batchSize', flag: '--batch-size', section: 'training', parse: wholeNumber('--batch-size', 1) },
];
