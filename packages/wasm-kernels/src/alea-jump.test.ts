import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { type AleaState, aleaStrideStates } from './alea-jump.js';

/** Alea's state after `steps` values drawn one by one from `seed`, and the next values it draws. */
function stepped(seed: string, steps: number, next: number): { state: AleaState; values: number[] } {
  const generator = seedrandom.alea(seed, { state: true });
  for (let i = 0; i < steps; i++) generator();
  const state = generator.state() as AleaState;
  return { state, values: Array.from({ length: next }, () => generator()) };
}

describe('aleaStrideStates', () => {
  it.each([
    { seed: '2779096485', stride: 1 },
    { seed: '1', stride: 4 },
    { seed: 'layer seed', stride: 9216 },
    { seed: '42', stride: 123_457 },
  ])('is the state seedrandom reaches one step at a time: seed $seed, stride $stride', ({ seed, stride }) => {
    const start = seedrandom.alea(seed, { state: true }).state() as AleaState;
    const states = aleaStrideStates(start, stride, 4);
    expect(states[0]).toEqual(start);
    for (let i = 1; i < states.length; i++) {
      const expected = stepped(seed, i * stride, 3);
      expect(states[i]).toEqual(expected.state);
      // And the generator resumed from it draws what the one that stepped there draws next.
      const resumed = seedrandom.alea('', { state: states[i]! });
      expect([resumed(), resumed(), resumed()]).toEqual(expected.values);
    }
  });

  it('gives the start state alone for a stride of 0 and none for a count of 0', () => {
    const start = seedrandom.alea('7', { state: true }).state() as AleaState;
    expect(aleaStrideStates(start, 0, 2)).toEqual([start, start]);
    expect(aleaStrideStates(start, 5, 0)).toEqual([]);
  });

  it('rejects a stride that is not a whole number', () => {
    const start = seedrandom.alea('7', { state: true }).state() as AleaState;
    expect(() => aleaStrideStates(start, 1.5, 2)).toThrow(RangeError);
    expect(() => aleaStrideStates(start, -1, 2)).toThrow(/stride must be a whole number/);
  });
});
