import { describeParams, formatParamValue } from './describe-params.js';
import { isScored, rankTrials } from './rank-trials.js';
import { svgStripChart } from './svg-strip-chart.js';
import { SWEEP_PARAMS } from './sweep-params.js';
import type { ParamValue, SweepFile } from './sweep-types.js';

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const pct = (value: number) => `${(value * 100).toFixed(2)}%`;

function sortValues(values: ParamValue[]): ParamValue[] {
  return [...values].sort((a, b) =>
    typeof a === 'number' && typeof b === 'number'
      ? a - b
      : formatParamValue(a).localeCompare(formatParamValue(b)),
  );
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#1d2433}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.muted{color:#667085}.charts{display:flex;flex-wrap:wrap;gap:12px}
.strip{background:#fafbfc;border:1px solid #e4e7ec;border-radius:6px}
.chart-title{font-weight:600;font-size:13px;fill:#1d2433}.tick{font-size:11px;fill:#667085}
.grid{stroke:#e4e7ec}.dot{fill:#3b6fd8;fill-opacity:.75}.dot.best{fill:#d92d20;fill-opacity:1}
.mean{stroke:#1d2433;stroke-width:2}
table{border-collapse:collapse;margin-top:6px}th,td{padding:4px 10px;border-bottom:1px solid #e4e7ec;text-align:right}
th{background:#f2f4f7;font-weight:600}td.id,th.id,td.status{text-align:left;font-family:ui-monospace,monospace}
tr.best td{background:#fef3f2;font-weight:600}code{background:#f2f4f7;padding:1px 4px;border-radius:3px}
`;

/**
 * Renders sweep.html: a self-contained page (no script, no external file) with the sweep's
 * settings, one strip chart per searched parameter (each scored trial's best validation accuracy
 * against the parameter's value, the best trial in red, a bar at each value's mean) and a table of
 * every trial sorted by score. Test accuracy appears nowhere: trials are judged on validation only.
 */
export function renderSweepHtml(sweep: SweepFile): string {
  const ranked = rankTrials(sweep.trials);
  const scored = ranked.filter(isScored);
  const best = scored[0];
  const names = SWEEP_PARAMS.filter((spec) => sweep.trials.some((t) => t.params[spec.name] !== undefined));

  const charts = names.flatMap(({ name }) => {
    const values = new Map<string, ParamValue>();
    for (const value of sweep.space[name] ?? []) values.set(formatParamValue(value), value);
    for (const trial of scored) {
      const value = trial.params[name];
      if (value !== undefined) values.set(formatParamValue(value), value);
    }
    // A parameter held at one value says nothing about its effect: it stays in the table only.
    if (values.size < 2) return [];
    return svgStripChart({
      title: name,
      categories: sortValues([...values.values()]).map(formatParamValue),
      points: scored.flatMap((trial) => {
        const value = trial.params[name];
        return value === undefined
          ? []
          : [
              {
                category: formatParamValue(value),
                value: trial.valAccuracy,
                tooltip: `${trial.id}: ${describeParams(trial.params)}: ${pct(trial.valAccuracy)}`,
                highlight: trial === best,
              },
            ];
      }),
      format: pct,
    });
  });

  const header = [
    '<th>#</th><th class="id">trial</th>',
    ...names.map(({ name }) => `<th>${esc(name)}</th>`),
    '<th>best val acc</th><th>best epoch</th><th>epochs</th><th>seconds</th><th class="status">status</th>',
  ].join('');
  const rows = ranked.map((trial, index) => {
    const cells = [
      `<td>${isScored(trial) ? index + 1 : ''}</td>`,
      `<td class="id">${esc(trial.id)}</td>`,
      ...names.map(({ name }) => {
        const value = trial.params[name];
        return `<td>${value === undefined ? '' : esc(formatParamValue(value))}</td>`;
      }),
      `<td>${trial.valAccuracy === null ? '' : pct(trial.valAccuracy)}</td>`,
      `<td>${trial.bestEpoch === null ? '' : trial.bestEpoch + 1}</td>`,
      `<td>${trial.epochsRun}</td>`,
      `<td>${trial.seconds === null ? '' : trial.seconds.toFixed(0)}</td>`,
      `<td class="status"${trial.error === undefined ? '' : ` title="${esc(trial.error)}"`}>${esc(trial.status)}</td>`,
    ];
    return `<tr${trial === best ? ' class="best"' : ''}>${cells.join('')}</tr>`;
  });

  const s = sweep.settings;
  const budget = [
    `${s.epochs} epoch${s.epochs === 1 ? '' : 's'} per trial`,
    s.trialTimeLimit === undefined ? '' : `at most ${s.trialTimeLimit} s per trial`,
    s.trainLimit === undefined
      ? 'all training images'
      : `first ${s.trainLimit.toLocaleString('en-US')} training images`,
    s.validationSplit === undefined ? '' : `validation split ${s.validationSplit}`,
    s.earlyStoppingPatience === undefined ? '' : `early-stopping patience ${s.earlyStoppingPatience}`,
    `seed ${s.seed}`,
    s.backend === undefined ? '' : `backend ${s.backend}`,
  ].filter((part) => part !== '');
  const search =
    sweep.search.kind === 'grid'
      ? 'grid search'
      : `random search (${sweep.search.trials} trials, seed ${sweep.search.seed})`;
  const done = sweep.trials.filter((t) => t.status === 'done' || t.status === 'timed-out').length;

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Hyperparameter sweep</title><style>${STYLE}</style></head><body>
<h1>Hyperparameter sweep</h1>
<p class="muted">${esc(search)}; ${esc(budget.join(', '))}; ${done} of ${sweep.trials.length} trials finished; updated ${esc(sweep.updatedAt)}.
Objective: the best validation accuracy over a trial's epochs (the test set is not used to rank).</p>
${
  best === undefined
    ? '<p>No trial has finished yet.</p>'
    : `<p>Best: <b>${pct(best.valAccuracy)}</b> (epoch ${best.bestEpoch + 1}) with <code>${esc(describeParams(best.params))}</code>, trial <code>${esc(best.id)}</code>. Train it in full with <code>pnpm train -- --config best.json</code>.</p>`
}
<h2>Validation accuracy by parameter</h2>
<div class="charts">${charts.join('\n')}</div>
<h2>Trials, best first</h2>
<table><thead><tr>${header}</tr></thead><tbody>
${rows.join('\n')}
</tbody></table>
</body></html>
`;
}
