/** One dot of a strip chart: its category, its value, a tooltip, and whether to highlight it. */
export interface StripPoint {
  category: string;
  value: number;
  tooltip: string;
  highlight?: boolean;
}

/** What to draw: one titled chart of values grouped by category. */
export interface StripChartInput {
  title: string;
  /** Categories left to right; points of other categories are ignored. */
  categories: string[];
  points: StripPoint[];
  format: (value: number) => string;
  width?: number;
  height?: number;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Round tick values (steps of 1, 2, 2.5 or 5 times a power of ten) covering [min, max], about five of them. */
function roundTicks(min: number, max: number): number[] {
  const rough = (max - min) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= rough) ?? 10) * magnitude;
  const ticks: number[] = [];
  for (let k = Math.floor(min / step + 1e-9); k <= Math.ceil(max / step - 1e-9); k++) {
    ticks.push(Number((k * step).toFixed(12)));
  }
  return ticks;
}

/**
 * Draws a strip chart (one column of dots per category, with a bar at each column's mean) as an
 * inline SVG string. Hand-drawn like the run report's line charts: a few dots and lines per
 * parameter are simpler to emit than to configure in an inlined chart library, and keep the page
 * small and offline.
 */
export function svgStripChart({
  title,
  categories,
  points,
  format,
  width = 300,
  height = 220,
}: StripChartInput): string {
  const margin = { top: 30, right: 12, bottom: 34, left: 58 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const shown = points.filter((p) => categories.includes(p.category) && Number.isFinite(p.value));
  const values = shown.map((p) => p.value);
  const min = values.length > 0 ? Math.min(...values) : 0;
  const max = values.length > 0 ? Math.max(...values) : 1;
  const pad = (max - min) * 0.1 || 0.005;
  const ticks = roundTicks(min - pad, max + pad);
  const lo = ticks[0]!;
  const hi = ticks[ticks.length - 1]!;
  const column = plotW / Math.max(1, categories.length);
  const x = (category: string) => margin.left + column * (categories.indexOf(category) + 0.5);
  const y = (v: number) => margin.top + plotH - ((v - lo) / (hi - lo)) * plotH;

  const parts = [
    `<svg class="strip" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(title)}" xmlns="http://www.w3.org/2000/svg">`,
    `<text x="${margin.left}" y="18" class="chart-title">${escapeXml(title)}</text>`,
  ];
  for (const v of ticks) {
    parts.push(
      `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" class="grid"/>`,
      `<text x="${margin.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" class="tick">${escapeXml(format(v))}</text>`,
    );
  }
  for (const category of categories) {
    const inColumn = shown.filter((p) => p.category === category);
    parts.push(
      `<text x="${x(category).toFixed(1)}" y="${margin.top + plotH + 18}" text-anchor="middle" class="tick">${escapeXml(category)}</text>`,
    );
    if (inColumn.length > 0) {
      const mean = inColumn.reduce((sum, p) => sum + p.value, 0) / inColumn.length;
      const half = Math.min(column * 0.35, 28);
      parts.push(
        `<line x1="${(x(category) - half).toFixed(1)}" x2="${(x(category) + half).toFixed(1)}" y1="${y(mean).toFixed(1)}" y2="${y(mean).toFixed(1)}" class="mean"><title>mean ${escapeXml(format(mean))}</title></line>`,
      );
    }
    // Spread the dots of a column sideways in a fixed pattern so equal scores stay visible.
    inColumn.forEach((p, i) => {
      const offset =
        inColumn.length === 1 ? 0 : ((i / (inColumn.length - 1)) * 2 - 1) * Math.min(column * 0.3, 22);
      parts.push(
        `<circle cx="${(x(category) + offset).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="${p.highlight ? 5 : 3.5}" class="${p.highlight ? 'dot best' : 'dot'}"><title>${escapeXml(p.tooltip)}</title></circle>`,
      );
    });
  }
  parts.push('</svg>');
  return parts.join('');
}
