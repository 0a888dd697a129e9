import { readFileSync } from 'node:fs';
import { MnistError } from '@mnist/core';
import { DEFAULT_MODEL_CONFIG, resolveModelConfig } from '@mnist/model';
import { DEFAULT_TRAINING_CONFIG, resolveTrainingConfig } from '@mnist/train';
import { describe, expect, it } from 'vitest';
import { listRecipes } from './list-recipes.js';
import { loadRecipe, parseRecipe } from './load-recipe.js';
import { RecipeError } from './recipe-error.js';

async function errorOf(promise: Promise<unknown>): Promise<RecipeError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a RecipeError');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RecipeError);
  expect(RecipeError.isInstance(error)).toBe(true);
  expect(MnistError.isInstance(error)).toBe(true);
  return error as RecipeError;
}

describe('recipes', () => {
  it('lists the shipped recipes with their descriptions, sorted', async () => {
    const recipes = await listRecipes();
    expect(recipes.map((r) => r.name)).toEqual(['best', 'default', 'fast']);
    for (const { description } of recipes) expect(description.length).toBeGreaterThan(20);
  });

  it('default is the default model and training config: the same run as no recipe', async () => {
    const recipe = await loadRecipe('default');
    expect(resolveModelConfig(recipe.model)).toEqual(resolveModelConfig());
    expect(resolveModelConfig(recipe.model)).toEqual(DEFAULT_MODEL_CONFIG);
    expect(resolveTrainingConfig(recipe.training)).toEqual(DEFAULT_TRAINING_CONFIG);
    // The run's own settings are left to the defaults and the flags.
    expect(recipe.training).not.toHaveProperty('seed');
    expect(recipe.training).not.toHaveProperty('threads');
  });

  it('fast and best are what they say: no batch norm, one-cycle, their epoch counts', async () => {
    // Batch norm costs 2-3x a plain step on wasm (BENCHMARKS.md): neither recipe has time for it.
    const fast = await loadRecipe('fast');
    expect(fast.model.batchNorm).toBe(false);
    expect(fast.training.learningRateSchedule?.kind).toBe('oneCycle');
    expect(fast.training.batchSize).toBe(96);
    expect(fast.training.epochs).toBe(1);
    const best = await loadRecipe('best');
    const defaults = await loadRecipe('default');
    expect(best.model.batchNorm).toBe(false);
    // The default's layout, twice as wide: the same convs and pools, more filters, a wider dense.
    expect(best.model.convLayers).toBe(defaults.model.convLayers);
    expect(best.model.poolAfter).toEqual(defaults.model.poolAfter);
    expect(best.model.filters).toEqual((defaults.model.filters as number[]).map((f) => 2 * f));
    expect(best.model.denseUnits).toBeGreaterThan(defaults.model.denseUnits ?? 0);
    expect(best.training.learningRateSchedule?.kind).toBe('oneCycle');
    expect(best.training.epochs).toBe(20);
    expect(best.training.weightDecay).toBe(0.1);
    expect(best.training.augmentation).toMatchObject({ rotationDegrees: 10, scale: 0.1, shift: 0.1 });
    expect(best.training.validationSplit).toBeGreaterThan(0);
  });

  it('refuses an unknown name, listing the recipes', async () => {
    for (const name of ['fastest', '../package', 'default.json', '']) {
      const error = await errorOf(loadRecipe(name));
      expect(error.message).toBe(
        `unknown recipe ${JSON.stringify(name)}; the recipes are "best", "default", "fast"`,
      );
    }
  });

  it.each([
    [[], /recipe "r" \(r.json\): expected a JSON object/],
    [
      { description: 'x', model: {}, training: {}, backend: 'wasm' },
      /unknown key "backend"; expected only "description", "model", "training"/,
    ],
    [{ model: {}, training: {} }, /"description" must be a non-empty string/],
    [{ description: 'x', model: [], training: {} }, /"model" must be an object/],
    [{ description: 'x', model: {} }, /"training" must be an object/],
    [{ description: 'x', model: { convLayers: 0 }, training: {} }, /recipe "r" \(r.json\): .*"convLayers"/],
    [
      { description: 'x', model: {}, training: { labelSmoothing: 1 } },
      /recipe "r" \(r.json\): training config field "labelSmoothing" must be a number in \[0, 1\)/,
    ],
  ])('refuses the file %j, naming it and the field', (value, message) => {
    expect(() => parseRecipe('r', 'r.json', value)).toThrow(message);
    expect(() => parseRecipe('r', 'r.json', value)).toThrow(RecipeError);
  });

  it('ships the recipe files and exports them for import', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      files: string[];
      exports: Record<string, unknown>;
    };
    expect(pkg.files).toContain('recipes');
    expect(pkg.exports['./recipes/*.json']).toBe('./recipes/*.json');
  });
});
