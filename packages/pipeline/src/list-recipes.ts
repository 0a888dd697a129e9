import { loadRecipe, type RecipeSummary, recipeNames } from './load-recipe.js';

/**
 * The shipped recipes (`recipes/*.json` of this package), each checked as `loadRecipe` does, with
 * their descriptions, sorted by name: what a `--help` lists. Node only.
 *
 * @throws {RecipeError} when a shipped file is not a valid recipe.
 */
export async function listRecipes(): Promise<RecipeSummary[]> {
  const names = await recipeNames();
  const recipes = await Promise.all(names.map((name) => loadRecipe(name)));
  return recipes.map(({ name, description }) => ({ name, description }));
}
