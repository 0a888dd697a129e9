// Takes the README's screenshots of the built demo in headless Chromium, served cross-origin
// isolated as `vite preview` serves it: docs/screenshot.png (the page after drawing a 7),
// docs/teach.png (a slashed zero the shipped model misreads, corrected and taught, read right
// afterwards) and docs/scratch.png (a short from-scratch run, on 2 workers).
//   pnpm --filter wasm-demo screenshots [-- --only screenshot|teach|scratch]
import { fileURLToPath } from 'node:url';
import { DIGIT_STROKES, SLASHED_ZERO, varyStrokes } from '../e2e/digit-strokes.js';
import { drawOnPad, settledPrediction } from '../e2e/draw-on-pad.js';
import { ensureBuild } from '../e2e/ensure-build.js';
import { launchChromium } from '../e2e/launch-chromium.js';
import { openDemo } from '../e2e/open-demo.js';
import { serveStatic } from '../e2e/static-server.js';

const SHOTS = ['screenshot', 'teach', 'scratch'] as const;
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
if (only !== undefined && !(SHOTS as readonly string[]).includes(only)) {
  throw new Error(`screenshots: --only takes one of ${SHOTS.join(', ')}, got '${only}'`);
}
const wanted = (shot: (typeof SHOTS)[number]) => only === undefined || only === shot;

const docs = (name: string) => fileURLToPath(new URL(`../docs/${name}`, import.meta.url));
const server = await serveStatic(await ensureBuild(), { crossOriginIsolated: true });
const browser = await launchChromium();
try {
  const { page } = await openDemo(browser, server.url, { width: 1000, height: 1000 });
  // The from-scratch view takes one worker per core: 2, as on the 2-core machine the docs describe.
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 2 });
  });
  await page.reload();
  await page.waitForFunction(() => document.body.dataset['scratchReady'] === 'true', undefined, {
    timeout: 120_000,
  });
  await drawOnPad(page, DIGIT_STROKES['7']!);
  await settledPrediction(page);
  if (wanted('screenshot')) await page.screenshot({ path: docs('screenshot.png') });

  if (wanted('teach')) {
    for (const strokes of [SLASHED_ZERO, varyStrokes(SLASHED_ZERO, 0.85, 0.04, -0.03)]) {
      await page.getByTestId('clear').click();
      await drawOnPad(page, strokes);
      await settledPrediction(page);
      await page.getByTestId('label-0').click();
    }
    await page.getByTestId('teach').click();
    await page.waitForFunction(
      () => /^Your model is in use/.test(document.getElementById('teach-status')?.textContent ?? ''),
      undefined,
      { timeout: 300_000 },
    );
    await page.getByTestId('clear').click();
    await drawOnPad(page, SLASHED_ZERO);
    console.log(`slashed zero after teaching: ${await settledPrediction(page)}`);
    console.log(await page.getByTestId('teach-status').textContent());
    const cards = page.locator('.card');
    const top = (await cards.nth(0).boundingBox())!;
    const bottom = (await cards.nth(1).boundingBox())!;
    await page.screenshot({
      path: docs('teach.png'),
      clip: { x: top.x, y: top.y, width: top.width, height: bottom.y + bottom.height - top.y },
      fullPage: true,
    });
  }

  if (wanted('scratch')) {
    // A short run of the from-scratch view: 12,000 images, 3 epochs (about 20 s on 2 workers).
    await page.getByTestId('scratch-images').selectOption('12000');
    await page.getByTestId('scratch-epochs').selectOption('3');
    await page.getByTestId('scratch-start').click();
    await page.waitForFunction(
      () => /^Done in/.test(document.getElementById('scratch-status')?.textContent ?? ''),
      undefined,
      { timeout: 600_000 },
    );
    console.log(await page.getByTestId('scratch-status').textContent());
    console.log(await page.getByTestId('scratch-workers').textContent());
    await page
      .locator('.card')
      .nth(2)
      .screenshot({ path: docs('scratch.png') });
  }
} finally {
  await browser.close();
  await server.close();
}
