/** A contiguous part `[start, end)` of a batch or a set. Internal. */
export type Range = [start: number, end: number];

/** Cuts `size` rows into at most `parts` contiguous, non-empty ranges of near-equal size. Internal. */
export function splitRange(size: number, parts: number): Range[] {
  const count = Math.min(parts, size);
  return Array.from({ length: count }, (_, i) => [
    Math.floor((i * size) / count),
    Math.floor(((i + 1) * size) / count),
  ]);
}
