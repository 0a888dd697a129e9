/**
 * Pixels as a canvas hands them out (`ImageData`), or anything shaped like it: RGBA, 4 bytes per pixel,
 * row-major, `width * height * 4` values.
 */
export interface ImageDataLike {
  readonly data: ArrayLike<number>;
  readonly width: number;
  readonly height: number;
}

/** Geometry of the MNIST normalization; the defaults are the ones the MNIST images were made with. */
export interface PreprocessOptions {
  /** Side of the output field in pixels (MNIST: 28). */
  outputSize?: number;
  /** Side of the box the digit's bounding box is scaled to fit, keeping its aspect ratio (MNIST: 20). */
  boxSize?: number;
  /** Ink at or below this level (0-1) is treated as paper when finding the bounding box. */
  inkThreshold?: number;
}

/**
 * Turns a drawing into the input MNIST models expect, the way the MNIST digits were made: the strokes
 * are cropped to their bounding box, scaled to fit a 20x20 box keeping the aspect ratio, and placed in
 * a 28x28 field so that their center of mass falls on the field's center. Resampling averages the
 * source pixels each output pixel covers (an area filter), so the result is anti-aliased grayscale.
 *
 * Ink is dark paint on light paper or opaque paint on transparent paper: a pixel's ink is its opacity
 * times its darkness. Pure: the input is not modified.
 *
 * @returns `outputSize * outputSize` values in [0, 1] (0 = paper, 1 = ink), row-major; `null` when the
 * image holds no ink.
 */
export function preprocessDigit(image: ImageDataLike, options: PreprocessOptions = {}): Float32Array | null {
  const outputSize = options.outputSize ?? 28;
  const boxSize = options.boxSize ?? 20;
  const inkThreshold = options.inkThreshold ?? 0.02;
  const { width, height } = image;
  if (image.data.length < width * height * 4) {
    throw new RangeError(
      `preprocessDigit: image.data has ${image.data.length} values, expected width*height*4 = ${width * height * 4}`,
    );
  }

  const ink = inkMap(image);
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  let mass = 0;
  let momentX = 0;
  let momentY = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const value = ink[y * width + x]!;
      if (value <= inkThreshold) continue;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      mass += value;
      // Pixel centers sit at +0.5 so that the moments live in the same edge coordinates as the mapping.
      momentX += value * (x + 0.5);
      momentY += value * (y + 0.5);
    }
  }
  if (maxX < 0) return null;

  // Sub-pixel bounding box: an anti-aliased edge pixel is covered in proportion to how far the stroke
  // reaches into it, so its strongest ink tells where inside that pixel the edge lies. Whole-pixel boxes
  // would make the scale jump with the drawing's sub-pixel position.
  let left = 0;
  let right = 0;
  for (let y = minY; y <= maxY; y++) {
    left = Math.max(left, ink[y * width + minX]!);
    right = Math.max(right, ink[y * width + maxX]!);
  }
  let top = 0;
  let bottom = 0;
  for (let x = minX; x <= maxX; x++) {
    top = Math.max(top, ink[minY * width + x]!);
    bottom = Math.max(bottom, ink[maxY * width + x]!);
  }
  const boxWidth = maxX - minX - 1 + Math.min(1, left) + Math.min(1, right);
  const boxHeight = maxY - minY - 1 + Math.min(1, top) + Math.min(1, bottom);
  // Output pixels per source pixel: the longer side of the bounding box becomes `boxSize`.
  const scale = boxSize / Math.max(boxWidth, boxHeight, 1);
  const centerX = momentX / mass;
  const centerY = momentY / mass;
  const half = outputSize / 2;

  // Source interval covered by output pixel u is [(u - half) / scale + center, ... + 1 / scale): one
  // affine map does crop, scale and centering at once, so no intermediate image is rounded to pixels.
  const columns = coverage(outputSize, scale, centerX - half / scale, width);
  const rows = coverage(outputSize, scale, centerY - half / scale, height);

  // Separable area filter: first average along x for the rows that any output row touches, then along y.
  const horizontal = new Float32Array(height * outputSize);
  const rowsNeeded = new Uint8Array(height);
  for (const row of rows) for (const index of row.indices) rowsNeeded[index] = 1;
  for (let y = 0; y < height; y++) {
    if (rowsNeeded[y] === 0) continue;
    const offset = y * width;
    for (let u = 0; u < outputSize; u++) {
      const column = columns[u]!;
      let sum = 0;
      for (let k = 0; k < column.indices.length; k++) {
        sum += column.weights[k]! * ink[offset + column.indices[k]!]!;
      }
      horizontal[y * outputSize + u] = sum;
    }
  }
  const output = new Float32Array(outputSize * outputSize);
  for (let v = 0; v < outputSize; v++) {
    const row = rows[v]!;
    for (let u = 0; u < outputSize; u++) {
      let sum = 0;
      for (let k = 0; k < row.indices.length; k++) {
        sum += row.weights[k]! * horizontal[row.indices[k]! * outputSize + u]!;
      }
      output[v * outputSize + u] = Math.min(1, sum);
    }
  }
  return output;
}

/** Ink level (0-1) of every pixel: opacity times darkness (Rec. 601 luma). */
function inkMap(image: ImageDataLike): Float32Array {
  const { data, width, height } = image;
  const ink = new Float32Array(width * height);
  for (let i = 0; i < ink.length; i++) {
    const r = data[i * 4]!;
    const g = data[i * 4 + 1]!;
    const b = data[i * 4 + 2]!;
    const a = data[i * 4 + 3]!;
    const luma = 0.299 * r + 0.587 * g + 0.114 * b;
    ink[i] = (a / 255) * (1 - luma / 255);
  }
  return ink;
}

interface Coverage {
  indices: number[];
  weights: number[];
}

/**
 * For each of `count` output pixels along one axis, the source pixels it overlaps and the fraction of
 * the output pixel each covers (weights of one output pixel sum to 1 inside the image; area outside the
 * image counts as paper).
 */
function coverage(count: number, scale: number, origin: number, sourceLength: number): Coverage[] {
  const span = 1 / scale;
  const result: Coverage[] = [];
  for (let u = 0; u < count; u++) {
    const start = origin + u * span;
    const end = start + span;
    const indices: number[] = [];
    const weights: number[] = [];
    const first = Math.max(0, Math.floor(start));
    const last = Math.min(sourceLength - 1, Math.ceil(end) - 1);
    for (let x = first; x <= last; x++) {
      const overlap = Math.min(end, x + 1) - Math.max(start, x);
      if (overlap > 0) {
        indices.push(x);
        weights.push(overlap / span);
      }
    }
    result.push({ indices, weights });
  }
  return result;
}
