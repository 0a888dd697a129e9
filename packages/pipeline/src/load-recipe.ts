import { MnistError } from '@mnist/core';
import { type ModelConfigInput, resolveModelConfig } from '@mnist/model';
import { resolveTrainingConfig, type TrainingConfigInput } from '@mnist/train';
import { RecipeError } from './recipe-error.js';

/** A named preset of a run: a model and a training config, as `recipes/<name>.json` holds them. */
export interface Recipe {
  /** The file's name without `.json`: `fast`, `default`, `best`. */
  name: string;
  /** One line saying what the recipe trains and how (the CLI's `--help` prints it). */
  description: string;
  /** Model fields; missing ones take `DEFAULT_MODEL_CONFIG` of `@mnist/model`. */
  model: ModelConfigInput;
  /** Training fields; missing ones (the seed, the threads) take `DEFAULT_TRAINING_CONFIG` of `@mnist/train`. */
  training: TrainingConfigInput;
}

/** A recipe's name and what it is, as `listRecipes` gives them. */
export type RecipeSummary = Pick<Recipe, 'name' | 'description'>;

const KEYS = ['description', 'model', 'training'];
// Names are file names inside recipes/: nothing that could step out of the folder.
const NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/**
 * The folder of the shipped recipe files: `recipes/` at the package's root, one level above both
 * `src/` (tests) and `dist/` (the published build). Internal.
 */
export function recipesDir(): URL {
  return new URL('../recipes/', import.meta.url);
}

/**
 * The names of the shipped recipes, sorted. Node only (reads the package's recipes/ folder).
 * Internal: `listRecipes` is the public form.
 */
export async function recipeNames(): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  const files = await readdir(recipesDir());
  return files
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .filter((name) => NAME_PATTERN.test(name))
    .sort();
}

/**
 * Reads and checks the shipped recipe `name` (`fast`, `default`, `best`, ...): a JSON file
 * `{ "description": "...", "model": {...}, "training": {...} }` in the package's `recipes/`
 * folder, whose model and training configs must pass `resolveModelConfig` and
 * `resolveTrainingConfig`. The fields are returned as written (not filled in), so that a caller can
 * layer its own settings over them. Node only.
 *
 * @throws {RecipeError} for an unknown name (listing the known ones) or a file that is not a
 *   valid recipe (naming the file and the field).
 */
export async function loadRecipe(name: string): Promise<Recipe> {
  const known = await recipeNames();
  if (typeof name !== 'string' || !known.includes(name)) {
    throw new RecipeError(
      `unknown recipe ${JSON.stringify(name)}; the recipes are ${known.map((k) => `"${k}"`).join(', ')}`,
    );
  }
  const { readFile } = await import('node:fs/promises');
  const { fileURLToPath } = await import('node:url');
  const file = fileURLToPath(new URL(`${name}.json`, recipesDir()));
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new RecipeError(`recipe "${name}" (${file}): cannot read the file`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RecipeError(`recipe "${name}" (${file}): not valid JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  return parseRecipe(name, file, value);
}

/** Checks a parsed recipe file's shape and configs; `file` is for messages. Internal. */
export function parseRecipe(name: string, file: string, value: unknown): Recipe {
  const fail = (message: string, cause?: unknown): never => {
    throw new RecipeError(`recipe "${name}" (${file}): ${message}`, cause === undefined ? {} : { cause });
  };
  if (!isPlainObject(value)) return fail('expected a JSON object {"description", "model", "training"}');
  const unknown = Object.keys(value).filter((key) => !KEYS.includes(key));
  if (unknown.length > 0) {
    fail(
      `unknown key ${unknown.map((k) => `"${k}"`).join(', ')}; expected only ${KEYS.map((k) => `"${k}"`).join(', ')}`,
    );
  }
  const { description, model, training } = value;
  if (typeof description !== 'string' || description.trim() === '') {
    fail('"description" must be a non-empty string');
  }
  if (!isPlainObject(model)) fail('"model" must be an object');
  if (!isPlainObject(training)) fail('"training" must be an object');
  try {
    resolveModelConfig(model as ModelConfigInput);
    resolveTrainingConfig(training as TrainingConfigInput);
  } catch (error) {
    if (!MnistError.isInstance(error)) throw error;
    fail(error.message, error);
  }
  return {
    name,
    description: description as string,
    model: model as ModelConfigInput,
    training: training as TrainingConfigInput,
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
