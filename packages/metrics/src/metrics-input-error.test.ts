import { MnistError } from '@mnist/core';
import { describe, expect, it } from 'vitest';
import { MetricsInputError } from './metrics-input-error.js';

describe('MetricsInputError', () => {
  it('is an MnistError carrying the argument name, message and cause', () => {
    const cause = new Error('root');
    const error = new MetricsInputError('yPred', 'yPred is wrong', { cause });
    expect(error).toBeInstanceOf(MnistError);
    expect(MnistError.isInstance(error)).toBe(true);
    expect(error.name).toBe('MetricsInputError');
    expect(error.argument).toBe('yPred');
    expect(error.message).toBe('yPred is wrong');
    expect(error.cause).toBe(cause);
  });
});
