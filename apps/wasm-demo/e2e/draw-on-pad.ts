import type { Page } from 'playwright-core';
import type { Stroke } from './digit-strokes.js';

/** Draws `strokes` on the pad (`data-testid="canvas"`) as mouse drags, each segment in small steps. */
export async function drawOnPad(page: Page, strokes: readonly Stroke[]): Promise<void> {
  const pad = page.getByTestId('canvas');
  // Mouse positions are viewport coordinates: a pad scrolled out of view would miss the strokes.
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  if (box === null) throw new Error('the drawing pad is not visible');
  const at = ([x, y]: readonly [number, number]) => [box.x + x * box.width, box.y + y * box.height] as const;
  for (const stroke of strokes) {
    const [first, ...rest] = stroke;
    if (first === undefined) continue;
    await page.mouse.move(...at(first));
    await page.mouse.down();
    for (const point of rest) await page.mouse.move(...at(point), { steps: 6 });
    await page.mouse.up();
  }
}

/** Waits until the page has classified the latest drawing, and returns the predicted digit's text. */
export async function settledPrediction(page: Page): Promise<string> {
  await page.waitForFunction(
    () =>
      new Promise<boolean>((resolve) =>
        // Two frames: the pad reports changes once per animation frame.
        requestAnimationFrame(() =>
          requestAnimationFrame(() => resolve(document.body.dataset['busy'] !== 'true')),
        ),
      ),
  );
  return (await page.getByTestId('prediction').textContent()) ?? '';
}
