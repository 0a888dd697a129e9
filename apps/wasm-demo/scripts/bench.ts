// Benchmark of the built demo in headless Chromium: what a first visit transfers (gzip sizes of every
// file the page requests until the gallery is classified) and the median time of 100 single-digit
// predictions, measured in the page (performance.now around predictDigits) on the backend it chose.
//   pnpm --filter wasm-demo bench [-- --runs 100] [--backend cpu]
import { DIGIT_STROKES } from '../e2e/digit-strokes.js';
import { drawOnPad, settledPrediction } from '../e2e/draw-on-pad.js';
import { ensureBuild } from '../e2e/ensure-build.js';
import { launchChromium } from '../e2e/launch-chromium.js';
import { serveStatic } from '../e2e/static-server.js';
import { transferSizes } from '../e2e/transfer-size.js';

const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag >= 0 ? Number(process.argv[runsFlag + 1]) : 100;
// `--backend cpu` measures the fallback the page uses when WASM cannot start.
const forceCpu =
  process.argv.includes('--backend') && process.argv[process.argv.indexOf('--backend') + 1] === 'cpu';

const dist = await ensureBuild();
const server = await serveStatic(dist);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(server.url + (forceCpu ? '?backend=cpu' : ''));
  await page.waitForFunction(() => document.body.dataset['galleryReady'] === 'true', undefined, {
    timeout: 120_000,
  });
  const files = transferSizes(requests, server.url, dist);
  const total = files.reduce((sum, file) => sum + file.gzipBytes, 0);

  await drawOnPad(page, DIGIT_STROKES['7']!);
  const digit = await settledPrediction(page);
  const result = await page.evaluate(
    (n) =>
      (
        window as unknown as { mnistDemo: { benchmark: (n: number) => Promise<unknown> } }
      ).mnistDemo.benchmark(n),
    runs,
  );
  const { backend, medianMs } = result as { backend: string; medianMs: number };

  console.log('first load (gzip -9 of each requested file):');
  for (const file of files) {
    console.log(
      `  ${file.path.padEnd(40)} ${String(file.bytes).padStart(8)} B  ${String(file.gzipBytes).padStart(8)} B gz`,
    );
  }
  console.log(`  total ${(total / 1000).toFixed(1)} kB gzipped (${files.length} files)`);
  console.log(
    `single-digit inference (drawn "7", predicted ${digit}): median ${medianMs.toFixed(2)} ms over ${runs} predictions, backend ${backend}`,
  );
} finally {
  await browser.close();
  await server.close();
}
