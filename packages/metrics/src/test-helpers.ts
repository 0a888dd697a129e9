import { expect } from 'vitest';
import { MetricsInputError } from './metrics-input-error.js';

/** Asserts that `run` throws a MetricsInputError about `argument` whose message matches `message`. */
export function expectInputError(run: () => unknown, argument: string, message: RegExp): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(MetricsInputError);
  expect((thrown as MetricsInputError).argument).toBe(argument);
  expect((thrown as MetricsInputError).message).toMatch(message);
}
