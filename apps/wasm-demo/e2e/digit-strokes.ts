/** A stroke as points in the unit square of the pad (0,0 top left, 1,1 bottom right). */
export type Stroke = readonly (readonly [number, number])[];

function ellipse(cx: number, cy: number, rx: number, ry: number, steps: number): Stroke {
  // Starts at the top and goes a little past the start, as a hand closing a 0 does.
  return Array.from({ length: steps + 3 }, (_, i) => {
    const angle = -Math.PI / 2 - (i / steps) * Math.PI * 2;
    return [cx + rx * Math.cos(angle), cy + ry * Math.sin(angle)] as const;
  });
}

/**
 * Digits drawn with the mouse by the end-to-end test and the benchmark: plain shapes as most people
 * write them, sized and placed unlike MNIST on purpose (preprocessing must normalize them).
 */
export const DIGIT_STROKES: Record<string, Stroke[]> = {
  '1': [
    [
      [0.47, 0.18],
      [0.5, 0.5],
      [0.52, 0.84],
    ],
  ],
  '0': [ellipse(0.5, 0.5, 0.2, 0.31, 36)],
  '7': [
    [
      [0.27, 0.22],
      [0.72, 0.22],
      [0.58, 0.45],
      [0.44, 0.82],
    ],
  ],
};

/**
 * A slashed zero, as programmers and some European hands write it: a diamond-like oval in one stroke,
 * then a slash across it. The shipped model reads it as a 6 (about 72% sure);
 * the teach test corrects it.
 */
export const SLASHED_ZERO: Stroke[] = [
  [
    [0.5, 0.15],
    [0.3, 0.5],
    [0.5, 0.85],
    [0.7, 0.5],
    [0.5, 0.15],
  ],
  [
    [0.3, 0.85],
    [0.7, 0.15],
  ],
];

/** `strokes` scaled by `scale` about the pad's center and moved by `dx`, `dy`: another hand's copy. */
export function varyStrokes(strokes: readonly Stroke[], scale: number, dx: number, dy: number): Stroke[] {
  return strokes.map((stroke) =>
    stroke.map(([x, y]) => [0.5 + (x - 0.5) * scale + dx, 0.5 + (y - 0.5) * scale + dy] as const),
  );
}
