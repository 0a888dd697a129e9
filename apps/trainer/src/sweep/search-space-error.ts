import { CliUsageError } from '../cli-usage-error.js';

/**
 * A bad search space: an empty or malformed list, a value out of range, a duplicate, an unknown
 * parameter, or a combination the model cannot be built from. Exits with status 2 like any bad flag.
 */
export class SearchSpaceError extends CliUsageError {}
