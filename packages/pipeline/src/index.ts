export { trainMnist } from './train-mnist.js';
export { computeTimeToTarget } from './time-to-target.js';
export { TrainMnistOptionsError } from './train-mnist-options-error.js';
export { listRecipes } from './list-recipes.js';
export { loadRecipe } from './load-recipe.js';
export type { Recipe, RecipeSummary } from './load-recipe.js';
export { RecipeError } from './recipe-error.js';
export type {
  EpochTestEvent,
  EpochTestRecord,
  EvaluationStartEvent,
  PipelineEvent,
  RunDataCounts,
  RunEndEvent,
  RunStartEvent,
  TimeToTarget,
  TrainMnistOptions,
  TrainMnistResult,
  TrainMnistSource,
} from './pipeline-types.js';
