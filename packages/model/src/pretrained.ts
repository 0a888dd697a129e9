// The pretrained loader, apart from the main entry: it references the shipped float weights with
// `new URL(..., import.meta.url)`, which bundlers copy into an app's output whenever the module is
// in its graph. Only apps that import `@mnist/model/pretrained` get its 544 KB of weights.
export { loadPretrained } from './load-pretrained.js';
export { PretrainedWeightsMissingError } from './pretrained-weights-missing-error.js';
