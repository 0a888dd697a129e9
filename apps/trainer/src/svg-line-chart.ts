/** One line of a chart: a name for the legend, a CSS color and one value per epoch. */
export interface ChartSeries {
  name: string;
  color: string;
  values: number[];
  /** Dashed stroke, to tell validation from training apart without relying on color alone. */
  dashed?: boolean;
}

/** What to draw: a titled chart of per-epoch series. */
export interface LineChartInput {
  title: string;
  series: ChartSeries[];
  /** Formats a y-axis tick and a point's tooltip value. */
  format: (value: number) => string;
  width?: number;
  height?: number;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Up to ~5 round tick values covering [min, max]. */
function niceTicks(min: number, max: number): number[] {
  const span = max - min || Math.abs(max) || 1;
  const rough = span / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= rough) ?? 10) * magnitude;
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  const ticks: number[] = [];
  for (let k = first; k <= last; k++) ticks.push(Number((k * step).toFixed(12)));
  return ticks;
}

/**
 * Draws a per-epoch line chart as an inline SVG string, with grid, axes, legend and a tooltip per
 * point. Hand-drawn because two small static charts are ~100 lines, while inlining a chart library
 * (uPlot, Chart.js) would add a dependency and tens of kilobytes of script to every offline report.
 */
export function svgLineChart({ title, series, format, width = 520, height = 280 }: LineChartInput): string {
  const margin = { top: 36, right: 16, bottom: 40, left: 56 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const epochs = Math.max(1, ...series.map((s) => s.values.length));
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  const lo = all.length > 0 ? Math.min(...all) : 0;
  const hi = all.length > 0 ? Math.max(...all) : 1;
  const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.05 || 0.05;
  // Losses and accuracies are never negative: do not let the padding push the axis below 0.
  const ticks = niceTicks(lo >= 0 ? Math.max(0, lo - pad) : lo - pad, hi + pad);
  const yMin = ticks[0] ?? lo;
  const yMax = ticks[ticks.length - 1] ?? hi;
  const x = (i: number) => margin.left + (epochs === 1 ? plotW / 2 : (i / (epochs - 1)) * plotW);
  const y = (v: number) => margin.top + plotH - ((v - yMin) / (yMax - yMin || 1)) * plotH;

  const parts: string[] = [];
  parts.push(
    `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(title)}" xmlns="http://www.w3.org/2000/svg">`,
  );
  parts.push(`<text x="${margin.left}" y="20" class="chart-title">${escapeXml(title)}</text>`);
  for (const t of ticks) {
    parts.push(
      `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" class="grid"/>`,
      `<text x="${margin.left - 8}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" class="tick">${escapeXml(format(t))}</text>`,
    );
  }
  const labelEvery = Math.ceil(epochs / 10);
  for (let i = 0; i < epochs; i++) {
    if (i % labelEvery !== 0 && i !== epochs - 1) continue;
    parts.push(
      `<text x="${x(i).toFixed(1)}" y="${margin.top + plotH + 18}" text-anchor="middle" class="tick">${i + 1}</text>`,
    );
  }
  parts.push(
    `<text x="${margin.left + plotW / 2}" y="${height - 6}" text-anchor="middle" class="axis-label">epoch</text>`,
  );
  let legendX = width - margin.right;
  for (const s of [...series].reverse()) {
    const label = escapeXml(s.name);
    legendX -= 34 + s.name.length * 7;
    parts.push(
      `<line x1="${legendX}" x2="${legendX + 22}" y1="16" y2="16" stroke="${s.color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`,
      `<text x="${legendX + 27}" y="20" class="legend">${label}</text>`,
    );
  }
  for (const s of series) {
    const points = s.values.map((v, i) => [x(i), y(v)] as const).filter(([, py]) => Number.isFinite(py));
    if (points.length > 1) {
      parts.push(
        `<polyline class="series" fill="none" stroke="${s.color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="6 4"' : ''} points="${points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ')}"/>`,
      );
    }
    s.values.forEach((v, i) => {
      if (!Number.isFinite(v)) return;
      parts.push(
        `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3.5" fill="${s.color}"><title>${escapeXml(`${s.name}, epoch ${i + 1}: ${format(v)}`)}</title></circle>`,
      );
    });
  }
  parts.push('</svg>');
  return parts.join('');
}
