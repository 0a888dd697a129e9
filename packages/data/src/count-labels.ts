import { NUM_CLASSES } from '@mnist/core';

/** How many labels of each digit 0-9 `labels` holds, to compare with `MNIST_CLASS_COUNTS`. */
export function countLabels(labels: ArrayLike<number>): number[] {
  const counts = new Array<number>(NUM_CLASSES).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]!++;
  return counts;
}
