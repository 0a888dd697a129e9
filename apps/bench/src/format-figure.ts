/**
 * A figure for a table: three significant digits, thousands grouped (`1,234`, `56.7`, `0.0123`),
 * `n/a` for a missing one. Three digits are as many as run-to-run noise on a shared machine allows.
 */
export function formatFigure(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  if (value === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, 2 - magnitude);
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** `ours / reference`, or `null` when either is missing or the reference is zero. */
export function ratio(ours: number | null | undefined, reference: number | null | undefined): number | null {
  if (ours === null || ours === undefined || reference === null || reference === undefined) return null;
  if (!Number.isFinite(ours) || !Number.isFinite(reference) || reference === 0) return null;
  return ours / reference;
}

/** A ratio as a multiplier with two decimals (`0.42×`), `n/a` when there is none. */
export function formatRatio(value: number | null): string {
  return value === null ? 'n/a' : `${value.toFixed(2)}×`;
}
