import { readFile } from 'node:fs/promises';
import { SearchSpaceError } from './search-space-error.js';
import { SWEEP_PARAMS, type SweepParamSpec } from './sweep-params.js';
import type { ParamValue, SearchSpace, SweepParamName } from './sweep-types.js';

const BY_NAME = new Map(SWEEP_PARAMS.map((spec) => [spec.name, spec] as const));
const NAMES = SWEEP_PARAMS.map((spec) => spec.name).join(', ');

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function rejectDuplicates(values: ParamValue[], where: string): void {
  const seen = new Set<string>();
  for (const value of values) {
    const key = JSON.stringify(value);
    if (seen.has(key)) {
      throw new SearchSpaceError(
        `${where} lists ${Array.isArray(value) ? `[${value.join(',')}]` : value} twice; give each value once.`,
      );
    }
    seen.add(key);
  }
}

/**
 * Parses one sweep flag's comma-separated list (`--dropout 0.25,0.5`) with the trainer's own
 * parser for that flag, so each value must be one the trainer accepts for a single run.
 * @throws SearchSpaceError naming the flag: empty list or item, bad or out-of-range value, duplicate.
 */
export function parseSweepList(spec: SweepParamSpec, raw: string): number[] {
  const quoted = `${spec.flag} "${raw}"`;
  if (raw.trim() === '') {
    throw new SearchSpaceError(
      `${spec.flag} has an empty list; give one or more values separated by commas.`,
    );
  }
  const values = raw.split(',').map((part, index) => {
    if (part.trim() === '') {
      throw new SearchSpaceError(
        `${quoted}: item ${index + 1} is empty; separate values with single commas.`,
      );
    }
    try {
      return spec.parse(part.trim());
    } catch (error) {
      throw new SearchSpaceError(`${quoted}: ${reason(error)}`, { cause: error });
    }
  });
  rejectDuplicates(values, quoted);
  return values;
}

function parseFileValue(spec: SweepParamSpec, value: unknown, where: string): ParamValue {
  if (spec.name === 'filters' && Array.isArray(value)) {
    // One count per conv layer, like the trainer's `--filters 32,64,64`.
    if (value.length === 0) throw new SearchSpaceError(`${where}: a per-layer filters list cannot be empty.`);
    return value.map((item) => parseFileValue(spec, item, where) as number);
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    const expected = spec.name === 'filters' ? 'numbers or per-layer lists of numbers' : 'numbers';
    throw new SearchSpaceError(`${where}: values must be ${expected} (got ${JSON.stringify(value)}).`);
  }
  try {
    return spec.parse(String(value));
  } catch (error) {
    throw new SearchSpaceError(`${where}: ${reason(error)}`, { cause: error });
  }
}

/**
 * Checks a parsed `--space` JSON value: an object mapping parameter names (as in a `--config` file:
 * `convLayers`, `kernelSize`, `filters`, `dropout`, `denseUnits`, `learningRate`, `batchSize`) to
 * non-empty lists of values. `filters` values may be numbers or per-layer lists.
 * @throws SearchSpaceError naming the file and the parameter.
 */
export function parseSpaceFile(value: unknown, file: string): SearchSpace {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SearchSpaceError(`--space ${file}: expected a JSON object such as {"dropout": [0.25, 0.5]}.`);
  }
  const space: SearchSpace = {};
  for (const [key, values] of Object.entries(value)) {
    const spec = BY_NAME.get(key as SweepParamName);
    if (spec === undefined) {
      const camel = key.replace(/^-+/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
      const hint = BY_NAME.has(camel as SweepParamName) ? ` (did you mean "${camel}"?)` : '';
      throw new SearchSpaceError(
        `--space ${file}: unknown parameter "${key}"${hint}; expected one of ${NAMES}.`,
      );
    }
    const where = `--space ${file}: "${key}"`;
    if (!Array.isArray(values) || values.length === 0) {
      throw new SearchSpaceError(`${where} must be a non-empty list of values, such as [0.25, 0.5].`);
    }
    const parsed = values.map((item) => parseFileValue(spec, item, where));
    rejectDuplicates(parsed, where);
    space[spec.name] = parsed;
  }
  return space;
}

/** Reads and checks a `--space` JSON file; a missing file or bad JSON is a `SearchSpaceError`. */
export async function loadSpaceFile(file: string): Promise<SearchSpace> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? reason(error);
    throw new SearchSpaceError(`--space ${file}: cannot read the file (${code}).`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SearchSpaceError(`--space ${file}: not valid JSON (${reason(error)}).`, { cause: error });
  }
  return parseSpaceFile(value, file);
}

/**
 * Layers the flag lists over the `--space` file (a flag replaces the file's list for its
 * parameter) and puts the parameters in their canonical order.
 * @throws SearchSpaceError when nothing is left to search.
 */
export function mergeSearchSpace(file: SearchSpace, flags: SearchSpace): SearchSpace {
  const merged: SearchSpace = {};
  for (const { name } of SWEEP_PARAMS) {
    const values = flags[name] ?? file[name];
    if (values !== undefined) merged[name] = values;
  }
  if (Object.keys(merged).length === 0) {
    throw new SearchSpaceError(
      `nothing to search: give at least one of ${SWEEP_PARAMS.map((s) => s.flag).join(', ')} as a ` +
        'comma-separated list (e.g. --dropout 0.25,0.5), or a --space FILE.',
    );
  }
  return merged;
}
