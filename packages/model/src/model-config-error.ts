import { MnistError } from '@mnist/core';

/**
 * A model config that cannot build a working CNN (a bad field, a kernel larger than its feature map,
 * more pooling than 28x28 allows, ...). Thrown by `resolveModelConfig` and `createModel` before any
 * tensor is made; the message names the field and what was expected.
 */
export class ModelConfigError extends MnistError {}
