import type { EvaluationReport } from '@mnist/metrics';
import type { AugmentedPair } from './augmentation-strip.js';
import { encodeGrayPng } from './encode-gray-png.js';
import type { RunMetrics } from './run-metrics.js';
import { svgLineChart } from './svg-line-chart.js';

function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const pct = (value: number, digits = 2) => `${(value * 100).toFixed(digits)}%`;

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m < 60 ? `${m} min ${s} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

function compact(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return String(n);
}

function trimNumber(value: number): string {
  return Number(value.toPrecision(4)).toString();
}

function heatmap(report: EvaluationReport): string {
  const rows = report.confusionMatrix;
  const head = rows.map((_, p) => `<th scope="col">${p}</th>`).join('');
  const body = rows
    .map((row, t) => {
      const total = row.reduce((a, b) => a + b, 0) || 1;
      const cells = row
        .map((count, p) => {
          const share = count / total;
          // sqrt makes the few-percent confusions visible next to a 99% diagonal.
          const strength = count === 0 ? 0 : Math.max(0.08, Math.sqrt(share));
          const hue = t === p ? '152 58% 30%' : '4 78% 48%';
          const dark = strength > 0.55;
          const title = `true ${t}, predicted ${p}: ${count} image${count === 1 ? '' : 's'} (${pct(share, 1)} of the ${t}s)`;
          return `<td class="cell${t === p ? ' diag' : ''}${dark ? ' dark' : ''}" style="background:hsl(${hue} / ${strength.toFixed(3)})" title="${esc(title)}">${count === 0 ? '' : count}</td>`;
        })
        .join('');
      return `<tr><th scope="row">${t}</th>${cells}</tr>`;
    })
    .join('\n');
  return `<table class="heatmap" aria-label="confusion matrix">
<caption>Rows are true labels, columns predictions; color shows the share of each row.</caption>
<thead><tr><th class="corner">true ↓ <span>predicted →</span></th>${head}</tr></thead>
<tbody>
${body}
</tbody></table>`;
}

function perClassTable(report: EvaluationReport): string {
  const bar = (v: number) =>
    `<span class="bar"><span style="width:${(v * 100).toFixed(1)}%"></span></span><span class="num">${v.toFixed(4)}</span>`;
  const rows = report.perClass
    .map(
      (c) =>
        `<tr><th scope="row">${c.label}</th><td>${bar(c.precision)}</td><td>${bar(c.recall)}</td><td>${bar(c.f1)}</td><td class="num">${c.support.toLocaleString('en-US')}</td></tr>`,
    )
    .join('\n');
  const avg = (name: string, a: EvaluationReport['macroAvg']) =>
    `<tr class="avg"><th scope="row">${name}</th><td class="num">${a.precision.toFixed(4)}</td><td class="num">${a.recall.toFixed(4)}</td><td class="num">${a.f1.toFixed(4)}</td><td class="num">${a.support.toLocaleString('en-US')}</td></tr>`;
  return `<table class="per-class">
<thead><tr><th>digit</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr></thead>
<tbody>
${rows}
${avg('macro avg', report.macroAvg)}
${avg('weighted avg', report.weightedAvg)}
</tbody></table>`;
}

/** A digit as a PNG data URL, inverted so it reads as dark ink on paper. */
function digitPng(pixels: Uint8Array): string {
  const ink = pixels.map((v) => 255 - v);
  return `data:image/png;base64,${Buffer.from(encodeGrayPng(ink, 28, 28)).toString('base64')}`;
}

function misclassifiedGrid(metrics: RunMetrics, images: ReadonlyMap<number, Uint8Array>): string {
  const { count, shown } = metrics.misclassified;
  if (count === 0) return '<p class="muted">Every test image was classified correctly.</p>';
  const figures = shown
    .map((m) => {
      const pixels = images.get(m.index);
      if (pixels === undefined) return '';
      const alt = `test image ${m.index}: true ${m.label}, predicted ${m.predicted}`;
      return `<figure class="digit" title="${esc(`test #${m.index}: P(${m.predicted}) = ${pct(m.confidence, 1)}, P(${m.label}) = ${pct(m.trueProbability, 1)}`)}"><img src="${digitPng(pixels)}" width="56" height="56" alt="${esc(alt)}"><figcaption><span class="true">${m.label}</span><span class="arrow">→</span><span class="pred">${m.predicted}</span><span class="conf">${pct(m.confidence, 0)}</span></figcaption></figure>`;
    })
    .join('\n');
  const note =
    shown.length < count
      ? `The ${shown.length} most confident mistakes of ${count.toLocaleString('en-US')}.`
      : `All ${count.toLocaleString('en-US')} mistakes, most confident first.`;
  return `<p class="muted">${note} Each shows <b>true → predicted</b> and the probability the model gave its prediction.</p>
<div class="digits">
${figures}
</div>`;
}

/** Training images beside one draw of the augmentation each; empty without augmentation. */
function augmentationSection(strip: readonly AugmentedPair[]): string {
  if (strip.length === 0) return '';
  const pairs = strip
    .map(
      (pair) =>
        `<figure class="pair"><img src="${digitPng(pair.original)}" width="56" height="56" alt="${esc(`training image ${pair.index}`)}"><img src="${digitPng(pair.augmented)}" width="56" height="56" alt="${esc(`training image ${pair.index}, augmented`)}"><figcaption>#${esc(pair.index)}</figcaption></figure>`,
    )
    .join('\n');
  return `<section>
<h2>Augmentation</h2>
<p class="muted">Training images as loaded (left) and after one random draw of the run's augmentation (right). Every epoch draws a new transform per image; validation and test images are never augmented.</p>
<div class="pairs">
${pairs}
</div>
</section>

`;
}

/** The time-to-target sentence under the headline figures; empty when `--target-accuracy off`. */
function targetLine(metrics: RunMetrics): string {
  const result = metrics.timeToTarget;
  if (result === null) return '';
  const target = `${pct(result.target)} test accuracy`;
  const evaluations = `The per-epoch test evaluations took ${duration(result.evaluationSeconds)} more; they are for reporting only and never pick the model or stop training.`;
  const sentence =
    result.reached && result.epoch !== null && result.seconds !== null
      ? `<b>Reached ${esc(target)}</b> after epoch ${result.epoch + 1} in <b>${esc(duration(result.seconds))}</b> of training (training and validation time).`
      : `<b>Did not reach ${esc(target)}</b> in ${result.epochs} epoch${result.epochs === 1 ? '' : 's'}` +
        (result.best === null
          ? '.'
          : ` (best ${esc(pct(result.best.accuracy))} after epoch ${result.best.epoch + 1}).`);
  const unmeasured =
    result.unmeasuredEpochs.length === 0
      ? ''
      : ` Epochs ${result.unmeasuredEpochs.map((e) => e + 1).join(', ')} had no test evaluation (resumed from an older checkpoint).`;
  return `<p class="target">${sentence} ${esc(evaluations)}${esc(unmeasured)}</p>`;
}

function configTable(config: Record<string, unknown>): string {
  return Object.entries(config)
    .map(
      ([key, value]) =>
        `<tr><th scope="row">${esc(key)}</th><td><code>${esc(JSON.stringify(value))}</code></td></tr>`,
    )
    .join('\n');
}

const STYLE = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5d6678; --line: #e3e6ee; --card: #fff; --bg: #f5f6fa;
  --train: #2f6fde; --val: #e07b16; --test: #8a3fc4; --good: #17804d; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 28px 24px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 0 0 12px; }
.muted { color: var(--muted); }
.sub { color: var(--muted); margin: 0 0 20px; }
section, .hero { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 20px 22px; margin-bottom: 18px; }
.hero { display: grid; grid-template-columns: minmax(220px, 1fr) 3fr; gap: 20px; align-items: center; }
.headline .value { font-size: 52px; font-weight: 700; color: var(--good); line-height: 1.05; letter-spacing: -1px; }
.headline .value.fair { color: #b76e00; }
.headline .value.poor { color: #c9302c; }
.headline .label { color: var(--muted); font-size: 14px; }
.target { grid-column: 1 / -1; margin: 0; padding-top: 12px; border-top: 1px solid var(--line); }
.stats { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 10px; }
.stat { background: var(--bg); border-radius: 8px; padding: 10px 12px; }
.stat .label { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.stat .value { font-size: 18px; font-weight: 600; white-space: nowrap; }
.stat .hint { font-size: 12px; color: var(--muted); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 12px; }
.chart { width: 100%; height: auto; }
.chart .grid { stroke: var(--line); }
.chart .tick, .chart .axis-label, .chart .legend { font-size: 12px; fill: var(--muted); }
.chart .legend { fill: var(--ink); }
.chart .chart-title { font-size: 14px; font-weight: 600; fill: var(--ink); }
.two { display: grid; grid-template-columns: auto minmax(0, 1fr); gap: 28px; align-items: start; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
.heatmap caption { caption-side: bottom; text-align: left; color: var(--muted); font-size: 13px; padding-top: 8px; }
.heatmap th { font-weight: 600; color: var(--muted); font-size: 13px; padding: 2px 6px; }
.heatmap .corner { font-size: 11px; font-weight: 400; text-align: left; vertical-align: bottom; line-height: 1.2; }
.heatmap .corner span { display: block; }
.heatmap .cell { min-width: 40px; height: 36px; text-align: center; font-size: 12.5px; border: 2px solid var(--card); border-radius: 6px; }
.heatmap .cell.dark { color: #fff; font-weight: 600; }
.per-class { width: 100%; }
.per-class th, .per-class td { white-space: nowrap; padding: 5px 6px; border-bottom: 1px solid var(--line); text-align: left; font-size: 13.5px; }
.per-class thead th { color: var(--muted); font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.per-class .avg th, .per-class .avg td { background: var(--bg); font-weight: 600; }
.per-class .num { text-align: right; }
.bar { display: inline-block; width: 36px; height: 8px; background: var(--line); border-radius: 4px; margin-right: 8px; vertical-align: middle; overflow: hidden; }
.bar > span { display: block; height: 100%; background: var(--train); }
.digits { display: grid; grid-template-columns: repeat(auto-fill, minmax(74px, 1fr)); gap: 10px; }
.digit { margin: 0; background: var(--bg); border-radius: 8px; padding: 8px 6px 6px; text-align: center; }
.digit img { image-rendering: pixelated; display: block; margin: 0 auto 4px; border-radius: 4px; background: #fff; }
.digit figcaption { font-size: 13px; }
.pairs { display: flex; flex-wrap: wrap; gap: 10px; }
.pair { margin: 0; background: var(--bg); border-radius: 8px; padding: 8px; text-align: center; }
.pair img { image-rendering: pixelated; border-radius: 4px; background: #fff; margin: 0 2px; }
.pair figcaption { font-size: 12px; color: var(--muted); }
.digit .true { font-weight: 700; color: var(--good); }
.digit .arrow { color: var(--muted); margin: 0 3px; }
.digit .pred { font-weight: 700; color: #c9302c; }
.digit .conf { display: block; font-size: 11px; color: var(--muted); }
.config { display: grid; grid-template-columns: 1fr 1fr; gap: 20px; }
.config th { text-align: left; font-weight: 500; color: var(--muted); padding: 2px 12px 2px 0; font-size: 13px; }
.config td { font-size: 13px; }
footer { color: var(--muted); font-size: 12px; margin-top: 8px; }
@media (max-width: 800px) { .hero, .two, .config { grid-template-columns: 1fr; } .stats { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
`;

/**
 * Renders report.html for a training run: one self-contained page (inline CSS, SVG and PNG data
 * URLs; no script, no network) with the headline figures, loss and accuracy curves, the confusion
 * matrix as a heatmap, the per-class table and the misclassified test images. `images` maps a test
 * image index to its 784 raw pixels, for the images listed in `metrics.misclassified.shown`;
 * `augmented`, when the run augments, a few training images beside their augmented versions.
 */
export function renderReportHtml(
  metrics: RunMetrics,
  images: ReadonlyMap<number, Uint8Array>,
  augmented: readonly AugmentedPair[] = [],
): string {
  const { test, history, config } = metrics;
  const epochsNote = metrics.training.stoppedEarly
    ? `stopped early, best epoch ${metrics.training.bestEpoch + 1}`
    : `of ${config.training.epochs} planned`;
  const last = history[history.length - 1];
  const stat = (label: string, value: string, hint = '') =>
    `<div class="stat"><div class="label">${esc(label)}</div><div class="value">${esc(value)}</div>${hint ? `<div class="hint">${esc(hint)}</div>` : ''}</div>`;
  const lossChart = svgLineChart({
    title: 'Loss',
    format: trimNumber,
    series: [
      { name: 'train', color: 'var(--train)', values: history.map((h) => h.loss) },
      { name: 'validation', color: 'var(--val)', values: history.map((h) => h.valLoss), dashed: true },
    ],
  });
  const testAccuracy = new Map(metrics.epochTests.map((t) => [t.epoch, t.accuracy] as const));
  const accuracyChart = svgLineChart({
    title: 'Accuracy',
    format: (v) => `${trimNumber(v * 100)}%`,
    series: [
      { name: 'train', color: 'var(--train)', values: history.map((h) => h.accuracy) },
      { name: 'validation', color: 'var(--val)', values: history.map((h) => h.valAccuracy), dashed: true },
      // Epochs without a test figure (an older checkpoint resumed) are NaN, which the chart skips.
      ...(testAccuracy.size === 0
        ? []
        : [
            {
              name: 'test',
              color: 'var(--test)',
              values: history.map((h) => testAccuracy.get(h.epoch) ?? Number.NaN),
            },
          ]),
    ],
  });
  const versions = Object.entries(metrics.versions)
    .map(([name, version]) => `${esc(name)} ${esc(version)}`)
    .join(' · ');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>MNIST training report: ${esc(pct(test.accuracy))} test accuracy</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>MNIST training report</h1>
<p class="sub">Started ${esc(metrics.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))} · seed ${esc(metrics.seed)}${metrics.recipe == null ? '' : ` · recipe ${esc(metrics.recipe)}`} · data: ${esc(metrics.data.source)}</p>

<div class="hero">
  <div class="headline"><div class="value ${test.accuracy >= 0.98 ? 'good' : test.accuracy >= 0.9 ? 'fair' : 'poor'}">${esc(pct(test.accuracy))}</div><div class="label">accuracy on ${esc(test.count.toLocaleString('en-US'))} test images · ${esc(metrics.misclassified.count.toLocaleString('en-US'))} wrong</div></div>
  <div class="stats">
    ${stat('test loss', test.loss.toFixed(4))}
    ${stat('backend', metrics.backend, `${metrics.threads} thread${metrics.threads === 1 ? '' : 's'}`)}
    ${stat('total time', duration(metrics.totalSeconds), `training ${duration(metrics.training.seconds)}`)}
    ${stat('epochs', String(metrics.training.epochsRun), epochsNote)}
    ${stat('validation accuracy', last ? pct(last.valAccuracy) : '–', last ? `loss ${last.valLoss.toFixed(4)}` : '')}
    ${stat('throughput', last ? `${Math.round(last.samplesPerSecond).toLocaleString('en-US')} img/s` : '–', 'last epoch')}
    ${stat('parameters', compact(metrics.model.parameters), `${compact(metrics.model.flopsPerImage)}FLOPs / image`)}
    ${stat('images', `${compact(metrics.data.trainSamples)} train`, `${compact(metrics.data.validationSamples)} validation · ${compact(metrics.data.testSamples)} test`)}
  </div>
  ${targetLine(metrics)}
</div>

<section>
<h2>Learning curves</h2>
<div class="charts">
${lossChart}
${accuracyChart}
</div>
</section>

<section>
<div class="two">
<div>
<h2>Confusion matrix</h2>
${heatmap(test)}
</div>
<div>
<h2>Per class</h2>
${perClassTable(test)}
</div>
</div>
</section>

${augmentationSection(augmented)}<section>
<h2>Misclassified test images</h2>
${misclassifiedGrid(metrics, images)}
</section>

<section>
<h2>Configuration</h2>
<div class="config">
<table><caption class="muted" style="text-align:left">model</caption>${configTable(config.model as unknown as Record<string, unknown>)}</table>
<table><caption class="muted" style="text-align:left">training</caption>${configTable(config.training as unknown as Record<string, unknown>)}</table>
</div>
</section>

<footer>${versions}</footer>
</main>
</body>
</html>
`;
}
