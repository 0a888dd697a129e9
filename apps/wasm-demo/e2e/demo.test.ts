import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIGIT_STROKES } from './digit-strokes.js';
import { drawOnPad, settledPrediction } from './draw-on-pad.js';
import { APP_DIR, ensureBuild } from './ensure-build.js';
import { launchChromium } from './launch-chromium.js';
import { openDemo as openPage } from './open-demo.js';
import { type StaticServer, serveStatic } from './static-server.js';
import { transferSizes } from './transfer-size.js';

const RESULTS_DIR = join(APP_DIR, 'test-results');
/** The budget for a first load (issue 15): JS, WASM, model and data, gzipped. */
const FIRST_LOAD_BUDGET = 450_000;

let dist: string;
let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  dist = await ensureBuild();
  server = await serveStatic(dist);
  browser = await launchChromium();
  await mkdir(RESULTS_DIR, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens the demo and collects console errors, page errors and requested URLs. */
function openDemo(viewport: { width: number; height: number }, query = '') {
  return openPage(browser, server.url + query, viewport);
}

async function expectPadCleared(page: Page): Promise<void> {
  expect(await settledPrediction(page)).toBe('');
}

describe('wasm-demo in Chromium', () => {
  it('classifies digits drawn with the mouse on WASM, within the first-load budget, without errors', async () => {
    const { page, errors, requests } = await openDemo({ width: 1100, height: 1400 });
    expect(await page.getByTestId('backend').textContent()).toBe('wasm');
    expect(await page.locator('#notice').isHidden()).toBe(true);

    const predicted: Record<string, string> = {};
    const digits = Object.keys(DIGIT_STROKES);
    for (const [index, digit] of digits.entries()) {
      await drawOnPad(page, DIGIT_STROKES[digit]!);
      predicted[digit] = await settledPrediction(page);
      if (index === digits.length - 1) {
        await page.screenshot({ path: join(RESULTS_DIR, 'demo.png'), fullPage: true });
        await page
          .locator('.card')
          .first()
          .screenshot({ path: join(RESULTS_DIR, 'demo-card.png') });
        break;
      }
      // Alternate between the button and the keyboard (Escape on the focused pad) to clear.
      if (index % 2 === 0) await page.getByTestId('clear').click();
      else {
        await page.getByTestId('canvas').focus();
        await page.keyboard.press('Escape');
      }
      await expectPadCleared(page);
    }
    expect(predicted).toEqual(Object.fromEntries(digits.map((digit) => [digit, digit])));

    // The gallery classified 100 real test digits: the first 88 of the test set, which a trained
    // model gets nearly all right, then 12 that make-gallery found the shipped model gets wrong,
    // so the page shows where the model fails.
    const tiles = page.locator('.gallery .tile');
    expect(await tiles.count()).toBe(100);
    const wrongTiles = await page
      .locator('.gallery .tile')
      .evaluateAll((all) => all.flatMap((tile, i) => (tile.classList.contains('wrong') ? [i] : [])));
    expect(wrongTiles.filter((i) => i < 88).length).toBeLessThanOrEqual(5);
    expect(wrongTiles.filter((i) => i >= 88).length).toBeGreaterThanOrEqual(10);
    // The status line shows the time of the last prediction.
    expect(await page.locator('#timing').textContent()).toMatch(/^\d+(\.\d)? ms$/);

    const files = transferSizes(requests, server.url, dist);
    const total = files.reduce((sum, file) => sum + file.gzipBytes, 0);
    await writeFile(join(RESULTS_DIR, 'transfer.json'), `${JSON.stringify({ total, files }, null, 2)}\n`);
    // Exactly one of the three WASM builds is fetched, and the model's weights are among the files.
    expect(files.filter((file) => file.path.endsWith('.wasm'))).toHaveLength(1);
    expect(files.some((file) => file.path.endsWith('/model/weights.bin'))).toBe(true);
    expect(total).toBeLessThanOrEqual(FIRST_LOAD_BUDGET);
    // Teaching and training load on demand: neither their workers nor their MNIST images come
    // with the first load.
    expect(files.filter((file) => /teach|scratch|\/mnist\//.test(file.path))).toEqual([]);

    expect(errors).toEqual([]);
    await page.close();
  });

  it('fits a phone screen without sideways scrolling and still classifies touch-sized drawings', async () => {
    const { page, errors } = await openDemo({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const pad = await page.getByTestId('canvas').boundingBox();
    expect(pad!.width).toBeGreaterThan(250);
    // The pad is the first stop of the keyboard, and says what it is.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('canvas');
    expect(await page.getByTestId('canvas').getAttribute('aria-label')).toMatch(/draw one digit/i);
    await drawOnPad(page, DIGIT_STROKES['7']!);
    expect(await settledPrediction(page)).toBe('7');
    // Screen readers hear the result once the drawing pauses.
    await page.waitForFunction(() =>
      document.getElementById('announcer')?.textContent?.startsWith('Prediction: 7'),
    );
    await page.screenshot({ path: join(RESULTS_DIR, 'demo-phone.png'), fullPage: false });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('falls back to the cpu backend with a visible notice when the WASM binaries cannot be fetched', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.route('**/*.wasm', (route) => route.abort());
    await page.goto(server.url);
    await page.waitForFunction(() => document.body.dataset['ready'] === 'true', undefined, {
      timeout: 120_000,
    });
    expect(await page.getByTestId('backend').textContent()).toBe('cpu');
    const notice = page.locator('#notice');
    expect(await notice.isVisible()).toBe(true);
    expect(await notice.textContent()).toMatch(/WebAssembly could not start/);
    await drawOnPad(page, DIGIT_STROKES['1']!);
    expect(await settledPrediction(page)).toBe('1');
    await page.close();
  });
});
