import type { LearningRateSchedule, StepLearningRateSchedule } from './training-types.js';

/**
 * The learning rate of step `batch` of zero-based `epoch` out of `epochs` under `schedule`, with
 * `learningRate` as the config's rate:
 * - `constant`: `learningRate`;
 * - `exponential`: `learningRate * decayRate^epoch`;
 * - `step`: `learningRate * factor^floor(epoch / everyEpochs)`;
 * - `cosine`: half a cosine from `learningRate` at the first epoch down to `minLearningRate` at the
 *   last one (`epochs - 1`);
 * - `oneCycle` and `warmupCosine` (per step; see `StepLearningRateSchedule`): the rate of step
 *   `epoch * batchesPerEpoch + batch` out of `epochs * batchesPerEpoch`.
 *
 * The per-epoch kinds ignore `batch` and `batchesPerEpoch`. The training loop sets the rate on the
 * optimizer at the start of every epoch for them, before every step for the per-step kinds.
 */
export function learningRateAt(
  schedule: LearningRateSchedule,
  learningRate: number,
  epoch: number,
  epochs: number,
  batch = 0,
  batchesPerEpoch = 1,
): number {
  switch (schedule.kind) {
    case 'constant':
      return learningRate;
    case 'exponential':
      return learningRate * schedule.decayRate ** epoch;
    case 'step':
      return learningRate * schedule.factor ** Math.floor(epoch / schedule.everyEpochs);
    case 'cosine': {
      const progress = epochs > 1 ? Math.min(epoch / (epochs - 1), 1) : 0;
      const min = schedule.minLearningRate;
      return min + (learningRate - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
    case 'oneCycle':
    case 'warmupCosine':
      return stepRate(schedule, learningRate, epoch * batchesPerEpoch + batch, epochs * batchesPerEpoch);
  }
}

/** Whether `schedule` sets the rate before every step rather than once per epoch. Internal. */
export function isPerStepSchedule(schedule: LearningRateSchedule): schedule is StepLearningRateSchedule {
  return schedule.kind === 'oneCycle' || schedule.kind === 'warmupCosine';
}

/**
 * The mean rate of the steps of `epoch` under a per-step schedule: what its `EpochRecord` reports.
 * Computed from the schedule, not summed while training, so a resumed epoch reports the same.
 * Internal.
 */
export function meanEpochLearningRate(
  schedule: StepLearningRateSchedule,
  learningRate: number,
  epoch: number,
  epochs: number,
  batchesPerEpoch: number,
): number {
  let sum = 0;
  for (let batch = 0; batch < batchesPerEpoch; batch++) {
    sum += learningRateAt(schedule, learningRate, epoch, epochs, batch, batchesPerEpoch);
  }
  return sum / batchesPerEpoch;
}

/**
 * Why `schedule` cannot run `totalSteps` steps, or null when it can: PyTorch's OneCycleLR divides by
 * zero when its warm-up ends exactly on step 0 (`warmupFraction * totalSteps === 1`). Internal.
 */
export function scheduleStepsProblem(schedule: LearningRateSchedule, totalSteps: number): string | null {
  if (schedule.kind === 'oneCycle' && schedule.warmupFraction * totalSteps === 1) {
    return (
      `training config field "learningRateSchedule.warmupFraction" (${schedule.warmupFraction}) makes the ` +
      `one-cycle warm-up exactly 1 of the run's ${totalSteps} steps, a phase of length 0 (PyTorch's ` +
      'OneCycleLR divides by zero there); use a fraction giving 0 or at least 2 warm-up steps'
    );
  }
  return null;
}

// PyTorch's `_annealing_cos`, with its order of operations so the doubles come out the same.
function annealCos(start: number, end: number, pct: number): number {
  const cosOut = Math.cos(Math.PI * pct) + 1;
  return end + ((start - end) / 2) * cosOut;
}

function stepRate(
  schedule: StepLearningRateSchedule,
  learningRate: number,
  step: number,
  totalSteps: number,
): number {
  if (schedule.kind === 'oneCycle') {
    // OneCycleLR.get_lr with three_phase=False: two phases, each ending on a (float) step.
    const initial = learningRate / schedule.initialDivisor;
    const min = initial / schedule.finalDivisor;
    const warmupEnd = schedule.warmupFraction * totalSteps - 1;
    if (step <= warmupEnd) return annealCos(initial, learningRate, step / warmupEnd);
    const end = totalSteps - 1;
    return annealCos(learningRate, min, (step - warmupEnd) / (end - warmupEnd));
  }
  const warmupSteps = schedule.warmupFraction * totalSteps;
  if (step < warmupSteps) return (learningRate * step) / warmupSteps;
  const min = schedule.minLearningRate;
  const span = totalSteps - 1 - warmupSteps;
  // A warm-up reaching the last step leaves no decay: the last step is at the minimum.
  const progress = span > 0 ? Math.min((step - warmupSteps) / span, 1) : 1;
  return min + (learningRate - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
}
