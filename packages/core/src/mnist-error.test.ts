import { describe, expect, it } from 'vitest';
import { MnistError } from './mnist-error.js';

class ExampleError extends MnistError {}

describe('MnistError', () => {
  it('keeps the subclass name, message and cause', () => {
    const cause = new Error('root');
    const error = new ExampleError('went wrong', { cause });
    expect(error.name).toBe('ExampleError');
    expect(error.message).toBe('went wrong');
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
  });

  it('recognizes instances by marker, not by prototype', () => {
    expect(MnistError.isInstance(new ExampleError('x'))).toBe(true);
    const lookalike = Object.assign(new Error('y'), { [Symbol.for('mnist-ts.error')]: true });
    expect(MnistError.isInstance(lookalike)).toBe(true);
    expect(MnistError.isInstance(new Error('z'))).toBe(false);
    expect(MnistError.isInstance(null)).toBe(false);
  });
});
