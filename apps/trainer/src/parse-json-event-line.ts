import { type JsonEvent, JSON_EVENTS_FORMAT_VERSION } from './json-events.js';

/**
 * Reads one line of `mnist-train --json` output: the event, or undefined for a line that is not
 * an event of this format version (a blank line, or text a library printed). The fields are not
 * checked one by one: the line comes from the trainer of the same build.
 */
export function parseJsonEventLine(line: string): JsonEvent | undefined {
  const text = line.trim();
  if (!text.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { type, formatVersion } = value as { type?: unknown; formatVersion?: unknown };
  if (typeof type !== 'string' || formatVersion !== JSON_EVENTS_FORMAT_VERSION) return undefined;
  return value as JsonEvent;
}
