import type { TrialRecord } from './sweep-types.js';

/** Whether a trial has a score the sweep can rank: it finished (or ran out of time) with at least one epoch. */
export function isScored(
  trial: TrialRecord,
): trial is TrialRecord & { valAccuracy: number; bestEpoch: number } {
  return (trial.status === 'done' || trial.status === 'timed-out') && trial.valAccuracy !== null;
}

/**
 * Trials best first: scored trials by validation accuracy (higher first; ties go to the faster
 * trial, then the id, so the order is stable), then the unscored ones in their given order.
 * Returns a new array.
 */
export function rankTrials(trials: readonly TrialRecord[]): TrialRecord[] {
  const scored = trials.filter(isScored);
  const unscored = trials.filter((trial) => !isScored(trial));
  scored.sort(
    (a, b) =>
      b.valAccuracy - a.valAccuracy ||
      (a.seconds ?? Number.POSITIVE_INFINITY) - (b.seconds ?? Number.POSITIVE_INFINITY) ||
      a.id.localeCompare(b.id),
  );
  return [...scored, ...unscored];
}
