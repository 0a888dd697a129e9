import { readFile } from 'node:fs/promises';
import type { ModelConfigInput } from '@mnist/model';
import { CliUsageError } from './cli-usage-error.js';
import type { TrainerTrainingInput } from './trainer-training-config.js';

/** The contents of a `--config` file: both halves optional, fields validated later by the packages. */
export interface ConfigFile {
  model?: ModelConfigInput;
  training?: TrainerTrainingInput;
}

const KEYS = new Set(['model', 'training']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks the shape of a parsed `--config` JSON value: an object with optional `model` and
 * `training` objects and nothing else (the `config` field of a run's metrics.json has this shape,
 * so a past run can be repeated). Throws `CliUsageError` naming the file and the key.
 */
export function parseConfigFile(value: unknown, file: string): ConfigFile {
  if (!isPlainObject(value)) {
    throw new CliUsageError(`--config ${file}: expected a JSON object {"model": {...}, "training": {...}}.`);
  }
  for (const key of Object.keys(value)) {
    if (!KEYS.has(key)) {
      throw new CliUsageError(
        `--config ${file}: unknown key "${key}"; expected only "model" and "training".`,
      );
    }
  }
  for (const key of KEYS) {
    if (value[key] !== undefined && !isPlainObject(value[key])) {
      throw new CliUsageError(`--config ${file}: "${key}" must be an object.`);
    }
  }
  return value as ConfigFile;
}

/** Reads and checks a `--config` JSON file; a missing file or bad JSON is a `CliUsageError`. */
export async function loadConfigFile(file: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new CliUsageError(`--config ${file}: cannot read the file (${code}).`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`--config ${file}: not valid JSON (${(error as Error).message}).`, {
      cause: error,
    });
  }
  return parseConfigFile(value, file);
}
