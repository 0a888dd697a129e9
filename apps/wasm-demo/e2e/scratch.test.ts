import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIGIT_STROKES } from './digit-strokes.js';
import { drawOnPad, settledPrediction } from './draw-on-pad.js';
import { APP_DIR, ensureBuild } from './ensure-build.js';
import { launchChromium } from './launch-chromium.js';
import { openDemo, waitForDemo } from './open-demo.js';
import { type StaticServer, serveStatic } from './static-server.js';

const RESULTS_DIR = join(APP_DIR, 'test-results');
/** The subset: enough for 97% in a couple of minutes on one worker. */
const TRAIN_IMAGES = process.env['SCRATCH_IMAGES'] ?? '6000';
const EPOCHS = process.env['SCRATCH_EPOCHS'] ?? '3';

let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  server = await serveStatic(await ensureBuild());
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const status = (page: Page) => page.getByTestId('scratch-status').textContent();

async function waitForScratchView(page: Page): Promise<void> {
  await waitForDemo(page);
  await page.waitForFunction(() => document.body.dataset['scratchReady'] === 'true', undefined, {
    timeout: 60_000,
  });
}

describe('train from scratch, in Chromium', () => {
  it(`trains on ${TRAIN_IMAGES} images to at least 97% test accuracy, resuming after a reload mid-run`, async () => {
    const { page, errors } = await openDemo(browser, server.url, { width: 1100, height: 1600 });
    await waitForScratchView(page);
    await page.getByTestId('scratch-images').selectOption(TRAIN_IMAGES);
    await page.getByTestId('scratch-epochs').selectOption(EPOCHS);
    const started = Date.now();
    await page.getByTestId('scratch-start').click();
    // Past the first checkpoint (every 20 batches), then a reload in the middle of the run.
    await page.waitForFunction(
      () => {
        const text = document.getElementById('scratch-stats')?.textContent ?? '';
        return Number(/^batch (\d+)/.exec(text)?.[1] ?? 0) >= 25;
      },
      undefined,
      { timeout: 300_000, polling: 500 },
    );
    const stats = (await page.getByTestId('scratch-stats').textContent()) ?? '';
    expect(stats).toMatch(/\d+ images\/s · \d+ s left$/);
    console.log(`before the reload: ${stats}`);
    // The pad stays responsive while the worker trains.
    await drawOnPad(page, DIGIT_STROKES['7']!);
    expect(await settledPrediction(page)).toBe('7');

    await page.reload();
    await waitForScratchView(page);
    expect(await status(page)).toMatch(/interrupted after batch (2\d|[3-9]\d|\d{3,}) of/);
    await page.getByTestId('scratch-resume').click();
    await page.waitForFunction(
      () =>
        /^Resumed at batch (2\d|[3-9]\d|\d{3,}) of/.test(
          document.getElementById('scratch-status')?.textContent ?? '',
        ) || /^batch/.test(document.getElementById('scratch-stats')?.textContent ?? ''),
      undefined,
      { timeout: 120_000 },
    );
    await page.waitForFunction(
      () => /^Done in/.test(document.getElementById('scratch-status')?.textContent ?? ''),
      undefined,
      { timeout: 900_000, polling: 1000 },
    );
    console.log(`scratch: ${await status(page)} (${((Date.now() - started) / 1000).toFixed(0)} s in all)`);
    const accuracy = Number(await page.getByTestId('scratch-accuracy').getAttribute('data-value'));
    expect(accuracy).toBeGreaterThanOrEqual(0.97);
    // Ten rows of ten counts plus the headers, adding up to the 10,000 test images.
    const counts = await page
      .getByTestId('scratch-confusion')
      .locator('td')
      .evaluateAll((cells) => cells.map((cell) => Number(cell.textContent)));
    expect(counts).toHaveLength(100);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(10_000);
    await page.screenshot({ path: join(RESULTS_DIR, 'scratch.png'), fullPage: true });

    await page.getByTestId('scratch-use').click();
    await expect.poll(() => page.getByTestId('model-source').textContent()).toBe('trained here');
    await drawOnPad(page, DIGIT_STROKES['1']!);
    expect(await settledPrediction(page)).toBe('1');
    // The reload in the middle of the run aborts the MNIST downloads of the page it replaces (and
    // Chromium may abort a second request for a file whose cache entry the first is still
    // writing); those are the test's doing. Every other failure, and every console or page error,
    // counts.
    const abortedDownload = /^request failed: \S+\/mnist\/[\w.-]+\.gz \(net::ERR_ABORTED\)$/;
    expect(errors.filter((error) => !abortedDownload.test(error))).toEqual([]);
    await page.close();
  }, 1_200_000);
});
