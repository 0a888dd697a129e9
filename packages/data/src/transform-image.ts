import { DataArgumentError } from './data-argument-error.js';

/** One affine transform of an image about its centre, with explicit parameters. */
export interface ImageTransform {
  /** Rotation in degrees; positive turns the image counter-clockwise as displayed (rows downward). */
  angleDegrees: number;
  /** Zoom factor, the same in x and y; > 1 enlarges the digit. */
  zoom: number;
  /** Shift right, in pixels. */
  shiftX: number;
  /** Shift down, in pixels. */
  shiftY: number;
  /** Shear angle along x, in degrees: a point `d` rows below the centre moves `d * tan(shear)` right. */
  shearDegrees: number;
}

const DEGREE = Math.PI / 180;

/**
 * The inverse map of `transform` as a 2x3 matrix `[a, b, c, d, e, f]`: output pixel (x, y) samples
 * the source at (a x + b y + c, d x + e y + f), pixel centres at whole coordinates and the centre
 * of rotation, zoom and shear at ((cols - 1) / 2, (rows - 1) / 2), 13.5 for 28 pixels. The forward
 * map is shear, then zoom, then rotation about the centre, then the shift. Internal.
 */
export function inverseAffine(transform: ImageTransform, rows: number, cols: number): Float64Array {
  const { angleDegrees, zoom, shiftX, shiftY, shearDegrees } = transform;
  const cos = Math.cos(angleDegrees * DEGREE);
  const sin = Math.sin(angleDegrees * DEGREE);
  const k = Math.tan(shearDegrees * DEGREE);
  // Forward A = R Z H with R = [[cos, sin], [-sin, cos]] (counter-clockwise on screen, y down),
  // Z = zoom, H = [[1, k], [0, 1]]; so A^-1 = H^-1 R^-1 / zoom.
  const a = (cos - k * sin) / zoom;
  const b = (-sin - k * cos) / zoom;
  const d = sin / zoom;
  const e = cos / zoom;
  const cx = (cols - 1) / 2;
  const cy = (rows - 1) / 2;
  // source = A^-1 (p - centre - shift) + centre
  const px = cx + shiftX;
  const py = cy + shiftY;
  return new Float64Array([a, b, cx - a * px - b * py, d, e, cy - d * px - e * py]);
}

/**
 * Writes `transform` of the one `rows` x `cols` image `source` into `target` (same length, not the
 * same memory): each output pixel is the bilinear interpolation of the source at its inverse-mapped
 * position, 0 outside the image (the background of `[0, 1]` images). With `displacement` (x
 * components, then y components, `2 * rows * cols` values in pixels) each output position is moved
 * by its displacement before the inverse map: how an elastic distortion is applied.
 *
 * @throws {DataArgumentError} when the arrays do not hold one image of that size.
 */
export function transformImage(
  source: Float32Array,
  target: Float32Array,
  rows: number,
  cols: number,
  transform: ImageTransform,
  displacement: Float32Array | Float64Array | null = null,
): void {
  const pixels = rows * cols;
  if (!(Number.isInteger(rows) && Number.isInteger(cols) && rows > 0 && cols > 0)) {
    throw new DataArgumentError(`rows and cols must be positive integers, got ${rows} x ${cols}`);
  }
  if (source.length !== pixels || target.length !== pixels) {
    throw new DataArgumentError(
      `source and target must hold ${rows} x ${cols} = ${pixels} pixels, got ${source.length} and ${target.length}`,
    );
  }
  if (displacement !== null && displacement.length !== 2 * pixels) {
    throw new DataArgumentError(
      `displacement must hold 2 x ${pixels} values (x then y), got ${displacement.length}`,
    );
  }
  warp(source, 0, target, 0, rows, cols, inverseAffine(transform, rows, cols), displacement);
}

/**
 * The inner loop of every augmentation: `target[targetOffset ..]` = `source[sourceOffset ..]`
 * sampled through the inverse map `m` (see `inverseAffine`), plus `displacement` when given.
 * Arguments unchecked; no allocation. Internal.
 */
export function warp(
  source: Float32Array,
  sourceOffset: number,
  target: Float32Array,
  targetOffset: number,
  rows: number,
  cols: number,
  m: Float64Array,
  displacement: Float32Array | Float64Array | null,
): void {
  const a = m[0]!;
  const b = m[1]!;
  const c = m[2]!;
  const d = m[3]!;
  const e = m[4]!;
  const f = m[5]!;
  const pixels = rows * cols;
  const lastCol = cols - 1;
  const lastRow = rows - 1;
  let out = targetOffset;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++, out++) {
      let sx: number;
      let sy: number;
      if (displacement === null) {
        sx = a * x + b * y + c;
        sy = d * x + e * y + f;
      } else {
        const i = out - targetOffset;
        const qx = x + displacement[i]!;
        const qy = y + displacement[pixels + i]!;
        sx = a * qx + b * qy + c;
        sy = d * qx + e * qy + f;
      }
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      // Entirely outside: all four neighbours are background.
      if (x0 < -1 || y0 < -1 || x0 > lastCol || y0 > lastRow) {
        target[out] = 0;
        continue;
      }
      const fx = sx - x0;
      const fy = sy - y0;
      const at = sourceOffset + y0 * cols + x0;
      let p00: number;
      let p01: number;
      let p10: number;
      let p11: number;
      if (x0 >= 0 && y0 >= 0 && x0 < lastCol && y0 < lastRow) {
        p00 = source[at]!;
        p01 = source[at + 1]!;
        p10 = source[at + cols]!;
        p11 = source[at + cols + 1]!;
      } else {
        const left = x0 >= 0;
        const right = x0 < lastCol;
        const top = y0 >= 0;
        const bottom = y0 < lastRow;
        p00 = left && top ? source[at]! : 0;
        p01 = right && top ? source[at + 1]! : 0;
        p10 = left && bottom ? source[at + cols]! : 0;
        p11 = right && bottom ? source[at + cols + 1]! : 0;
      }
      // Lerp form: a whole-pixel position (fx = fy = 0) returns p00 exactly.
      const upper = p00 + fx * (p01 - p00);
      const lower = p10 + fx * (p11 - p10);
      target[out] = upper + fy * (lower - upper);
    }
  }
}
