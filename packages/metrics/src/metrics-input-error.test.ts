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

  it('isInstance is true for its own errors only, not for any MnistError', () => {
    expect(MetricsInputError.isInstance(new MetricsInputError('k', 'bad k'))).toBe(true);
    expect(MetricsInputError.isInstance(new MnistError('other'))).toBe(false);
    expect(MetricsInputError.isInstance(new Error('plain'))).toBe(false);
  });
});
