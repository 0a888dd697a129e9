import type { DigitPrediction } from '@mnist/model';

/**
 * Fills `list` with one row per digit (label, bar, percentage) on the first call and updates the
 * rows afterwards; `null` empties the bars. The most likely digit's row is highlighted.
 */
export function renderProbabilities(list: HTMLOListElement, prediction: DigitPrediction | null): void {
  if (list.children.length !== 10) {
    list.replaceChildren(
      ...Array.from({ length: 10 }, (_, digit) => {
        const row = document.createElement('li');
        row.className = 'bar';
        row.innerHTML =
          `<span class="bar-digit">${digit}</span>` +
          '<span class="bar-track"><span class="bar-fill"></span></span>' +
          '<span class="bar-value">–</span>';
        return row;
      }),
    );
  }
  for (let digit = 0; digit < 10; digit++) {
    const row = list.children[digit] as HTMLLIElement;
    const probability = prediction?.probabilities[digit] ?? 0;
    const fill = row.querySelector<HTMLElement>('.bar-fill')!;
    const value = row.querySelector<HTMLElement>('.bar-value')!;
    fill.style.width = `${(probability * 100).toFixed(1)}%`;
    value.textContent = prediction === null ? '–' : formatPercent(probability);
    row.classList.toggle('top', prediction?.digit === digit);
    row.setAttribute(
      'aria-label',
      `${digit}: ${prediction === null ? 'no prediction' : formatPercent(probability)}`,
    );
  }
}

/** A probability as a short percentage: `97%`, `3.4%`, `<0.1%`. */
export function formatPercent(probability: number): string {
  const percent = probability * 100;
  if (percent >= 99.95) return '100%';
  if (percent >= 10) return `${percent.toFixed(0)}%`;
  if (percent >= 0.1) return `${percent.toFixed(1)}%`;
  return '<0.1%';
}
