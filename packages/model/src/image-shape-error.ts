import { MnistError } from '@mnist/core';

/** Images passed to `predictDigits` that are not `[n,28,28,1]`, `[n,28,28]` or `[28,28]`. */
export class ImageShapeError extends MnistError {}
