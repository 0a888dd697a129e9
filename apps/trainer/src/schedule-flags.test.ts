import { describe, expect, it } from 'vitest';
import { CliUsageError } from './cli-usage-error.js';
import { applyScheduleFlags } from './schedule-flags.js';

const exponential = { kind: 'exponential', decayRate: 0.6 } as const;
const oneCycle = { kind: 'oneCycle', warmupFraction: 0.25, initialDivisor: 10, finalDivisor: 100 } as const;

describe('applyScheduleFlags', () => {
  it('leaves the schedule alone without schedule flags', () => {
    expect(applyScheduleFlags(oneCycle, {})).toBeUndefined();
  });

  it("sets a parameter of the schedule in effect, keeping the others (a recipe's, a file's)", () => {
    expect(applyScheduleFlags(oneCycle, { warmupFraction: 0.1 })).toEqual({
      ...oneCycle,
      warmupFraction: 0.1,
    });
    expect(applyScheduleFlags(oneCycle, { kind: 'oneCycle', finalDivisor: 1e4 })).toEqual({
      ...oneCycle,
      finalDivisor: 1e4,
    });
  });

  it("starts another kind from its defaults (PyTorch's for one-cycle), then the parameter flags", () => {
    expect(applyScheduleFlags(exponential, { kind: 'oneCycle' })).toEqual({
      kind: 'oneCycle',
      warmupFraction: 0.3,
      initialDivisor: 25,
      finalDivisor: 1e4,
    });
    expect(applyScheduleFlags(oneCycle, { kind: 'warmupCosine', minLearningRate: 1e-5 })).toEqual({
      kind: 'warmupCosine',
      warmupFraction: 0.1,
      minLearningRate: 1e-5,
    });
    expect(applyScheduleFlags(oneCycle, { kind: 'constant' })).toEqual({ kind: 'constant' });
  });

  it('refuses a parameter flag the kind in effect has no field for, naming the flag and the kinds', () => {
    const error = (() => {
      try {
        applyScheduleFlags(exponential, { warmupFraction: 0.2 });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CliUsageError);
    expect((error as Error).message).toBe(
      '--warmup-fraction applies to --schedule one-cycle or warmup-cosine; the schedule in effect is exponential (add --schedule to change it)',
    );
    expect(() => applyScheduleFlags(exponential, { kind: 'cosine', initialDivisor: 5 })).toThrow(
      '--initial-divisor applies to --schedule one-cycle; the schedule in effect is cosine',
    );
    expect(() => applyScheduleFlags(oneCycle, { minLearningRate: 0 })).toThrow(
      '--min-learning-rate applies to --schedule cosine or warmup-cosine; the schedule in effect is one-cycle',
    );
  });
});
