import { CliUsageError } from '../cli-usage-error.js';

/**
 * The `--out` folder holds a sweep.json that cannot be resumed: unreadable, or made with other
 * settings (epochs, seed, data...) whose trials would not be comparable. Exits with status 2.
 */
export class SweepStateError extends CliUsageError {}
