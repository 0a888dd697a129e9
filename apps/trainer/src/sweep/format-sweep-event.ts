import { describeParams } from './describe-params.js';
import type { SweepCounts, SweepEvent } from './run-sweep.js';
import type { TrialRecord } from './sweep-types.js';

const pct = (value: number) => `${(value * 100).toFixed(2)}%`;

function prefix(counts: SweepCounts): string {
  return `[${counts.finished}/${counts.total} finished, ${counts.running} running, ${counts.left} left]`;
}

function result(trial: TrialRecord): string {
  const seconds = trial.seconds === null ? '' : `, ${Math.round(trial.seconds)}s`;
  const score =
    trial.valAccuracy === null || trial.bestEpoch === null
      ? 'no epoch finished'
      : `val ${pct(trial.valAccuracy)} (epoch ${trial.bestEpoch + 1})`;
  switch (trial.status) {
    case 'done':
      return `${score}${seconds}`;
    case 'timed-out':
      return `time limit after ${trial.epochsRun} epoch(s): ${score}${seconds}`;
    case 'interrupted':
      return 'interrupted; it runs again when the sweep is rerun';
    default: {
      const firstLine =
        (trial.error ?? '').split('\n').find((line) => line.trim() !== '') ?? 'no error output';
      return `failed: ${firstLine.trim()}`;
    }
  }
}

/**
 * One plain progress line per sweep event (no bars or cursor moves, so logs and non-terminals
 * read well): counts of finished, running and waiting trials, the trial, and the best so far.
 */
export function formatSweepEvent(event: SweepEvent): string {
  switch (event.type) {
    case 'sweepStart': {
      const { counts, reused } = event;
      const toRun = counts.total - reused;
      return (
        `sweep: ${counts.total} trial${counts.total === 1 ? '' : 's'}` +
        (reused > 0 ? `, ${reused} finished in an earlier run, ${toRun} to run` : '')
      );
    }
    case 'trialStart':
      return `${prefix(event.counts)} start ${event.trial.id} ${describeParams(event.trial.params)}`;
    case 'trialEnd': {
      const { best } = event;
      const bestText =
        best === undefined || best.valAccuracy === null ? '' : ` | best ${pct(best.valAccuracy)} ${best.id}`;
      return `${prefix(event.counts)} ${event.trial.status} ${event.trial.id} ${describeParams(event.trial.params)}: ${result(event.trial)}${bestText}`;
    }
  }
}
