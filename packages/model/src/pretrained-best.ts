// The larger pretrained model's loader, an entry of its own for the same reason as `pretrained`:
// only apps that import `@mnist/model/pretrained-best` get its 1.6 MB of weights.
export { loadPretrainedBest } from './load-pretrained-best.js';
export { PretrainedWeightsMissingError } from './pretrained-weights-missing-error.js';
