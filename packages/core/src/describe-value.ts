/**
 * A config value as an error message shows it after "got": strings quoted, objects and arrays as
 * JSON (or their tag when they cannot be serialized, e.g. a cycle), anything else as `String`
 * gives it (`undefined`, `NaN`, `Infinity`, functions).
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}
