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
const TRAIN_IMAGES = process.env['SCRATCH_IMAGES'] ?? '12000';
const EPOCHS = process.env['SCRATCH_EPOCHS'] ?? '3';

/** A plain static host, and one sending the COOP/COEP headers (as `vite dev`/`preview` do). */
let server: StaticServer;
let isolatedServer: StaticServer;
let browser: Browser;

beforeAll(async () => {
  const dist = await ensureBuild();
  server = await serveStatic(dist);
  isolatedServer = await serveStatic(dist, { crossOriginIsolated: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await isolatedServer?.close();
});

// The reload in the middle of a run aborts the MNIST downloads of the page it replaces (and
// Chromium may abort a second request for a file whose cache entry the first is still writing);
// those are the test's doing. Every other failure, and every console or page error, counts.
const abortedDownload = /^request failed: \S+\/mnist\/[\w.-]+\.gz \(net::ERR_ABORTED\)$/;

const isolated = (page: Page) => page.evaluate(() => crossOriginIsolated);
const workers = (page: Page) => page.getByTestId('scratch-workers').getAttribute('data-workers');

/**
 * Waits until the run's first checkpoint (every 20 batches) is stored in IndexedDB, which the view
 * says in `data-saved-batch`: a reload before that would find no run to resume, and a fast machine
 * trains past batch 20 long before a poll of the batch count comes round.
 */
async function waitPastCheckpoint(page: Page): Promise<void> {
  await page.waitForFunction(
    () => Number(document.getElementById('scratch-stats')?.dataset['savedBatch'] ?? 0) >= 20,
    undefined,
    { timeout: 300_000, polling: 100 },
  );
}

/** Waits until the run is done, failing at once when the view reports a failure instead. */
async function waitUntilDone(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      /^(Done in|Something went wrong)/.test(document.getElementById('scratch-status')?.textContent ?? ''),
    undefined,
    { timeout: 900_000, polling: 1000 },
  );
  expect(await status(page)).toMatch(/^Done in/);
}

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
    // Served without COOP/COEP: no shared memory, so one worker, and the page says why.
    expect(await isolated(page)).toBe(false);
    expect(await workers(page)).toBe('1');
    expect(await page.getByTestId('scratch-workers').textContent()).toMatch(
      /^Trains on 1 worker: the page is not cross-origin isolated/,
    );
    await page.getByTestId('scratch-images').selectOption(TRAIN_IMAGES);
    await page.getByTestId('scratch-epochs').selectOption(EPOCHS);
    const started = Date.now();
    await page.getByTestId('scratch-start').click();
    // Past the first checkpoint (every 20 batches), then a reload in the middle of the run.
    await waitPastCheckpoint(page);
    expect(await page.getByTestId('scratch-workers').textContent()).toMatch(/^Training on 1 worker:/);
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
    await waitUntilDone(page);
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
    expect(errors.filter((error) => !abortedDownload.test(error))).toEqual([]);
    await page.close();
  }, 1_200_000);

  it('trains on 2 workers sharing memory when served with COOP/COEP, the same weights whether resumed or not', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1600 } });
    // The page takes one worker per core (up to 4): pin the cores, so the test means the same on a
    // bigger CI machine. The page decides the count; its workers do not read this.
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 2 });
    });
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) =>
      errors.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? '?'})`),
    );
    await page.goto(isolatedServer.url);
    await waitForScratchView(page);
    // Everything the page loads is its own, so require-corp blocks nothing: the drawing pad, the
    // gallery and the WASM backend work as without the headers.
    expect(await isolated(page)).toBe(true);
    expect(await page.getByTestId('backend').textContent()).toBe('wasm');
    expect(await workers(page)).toBe('2');
    await drawOnPad(page, DIGIT_STROKES['7']!);
    expect(await settledPrediction(page)).toBe('7');

    // 6,000 images, 2 epochs: 94 batches of 128, each split between the view's worker and a
    // gradient thread.
    await page.getByTestId('scratch-images').selectOption('6000');
    await page.getByTestId('scratch-epochs').selectOption('2');
    const started = Date.now();
    await page.getByTestId('scratch-start').click();
    await waitUntilDone(page);
    expect(await page.getByTestId('scratch-workers').textContent()).toBe(
      'Training on 2 workers, sharing memory (the page is cross-origin isolated).',
    );
    console.log(
      `scratch, 2 workers: ${await status(page)} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
    );
    console.log(`  ${await page.getByTestId('scratch-stats').textContent()}`);
    const accuracy = Number(await page.getByTestId('scratch-accuracy').getAttribute('data-value'));
    // Two workers train the same batches as one, with other dropout masks.
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
    const uninterrupted = await page.getByTestId('scratch-fingerprint').textContent();
    expect(uninterrupted).toMatch(/^[0-9a-f]{16}$/);

    // The same run again, reloaded mid-run and resumed on the 2 workers its checkpoint recorded.
    await page.getByTestId('scratch-start').click();
    await waitPastCheckpoint(page);
    await page.reload();
    await waitForScratchView(page);
    expect(await isolated(page)).toBe(true);
    expect(await status(page)).toMatch(/interrupted after batch (2\d|[3-8]\d|9[0-3]) of 94/);
    await page.getByTestId('scratch-resume').click();
    await waitUntilDone(page);
    expect(await page.getByTestId('scratch-workers').textContent()).toMatch(/^Training on 2 workers/);
    expect(Number(await page.getByTestId('scratch-accuracy').getAttribute('data-value'))).toBe(accuracy);
    expect(await page.getByTestId('scratch-fingerprint').textContent()).toBe(uninterrupted);
    expect(errors.filter((error) => !abortedDownload.test(error))).toEqual([]);
    await page.close();
  }, 1_200_000);
});
