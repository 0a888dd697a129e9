import { describe, expect, it } from 'vitest';
import { MnistError } from './mnist-error.js';

// Two sibling subclasses written the way every mnist-ts error is: own marker, literal name,
// one-line `isInstance` over the base's `hasMarker`.
const exampleName = 'ExampleError';
const exampleMarker = Symbol.for(`mnist-ts.error.${exampleName}`);
class ExampleError extends MnistError {
  readonly [exampleMarker] = true;
  override readonly name: string = exampleName;

  static override isInstance(error: unknown): error is ExampleError {
    return MnistError.hasMarker(error, exampleMarker);
  }
}

const siblingName = 'SiblingError';
const siblingMarker = Symbol.for(`mnist-ts.error.${siblingName}`);
class SiblingError extends MnistError {
  readonly [siblingMarker] = true;
  override readonly name: string = siblingName;

  static override isInstance(error: unknown): error is SiblingError {
    return MnistError.hasMarker(error, siblingMarker);
  }
}

const childName = 'ChildOfExampleError';
const childMarker = Symbol.for(`mnist-ts.error.${childName}`);
class ChildOfExampleError extends ExampleError {
  readonly [childMarker] = true;
  override readonly name: string = childName;

  static override isInstance(error: unknown): error is ChildOfExampleError {
    return MnistError.hasMarker(error, childMarker);
  }
}

describe('MnistError', () => {
  it('keeps the literal name, message and cause', () => {
    const cause = new Error('root');
    const error = new ExampleError('went wrong', { cause });
    expect(error.name).toBe('ExampleError');
    expect(error.message).toBe('went wrong');
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
    expect(String(error)).toBe('ExampleError: went wrong');
    expect(new MnistError('plain').name).toBe('MnistError');
    expect(new ChildOfExampleError('deeper').name).toBe('ChildOfExampleError');
  });

  it('takes the name from the literal, not from the constructor (which a minifier renames)', () => {
    // What a minifier does: the class gets another name; the error's name must not follow it.
    const Renamed = { q: class extends MnistError {} }.q;
    expect(Renamed.name).toBe('q');
    expect(new Renamed('x').name).toBe('MnistError');
  });

  it('MnistError.isInstance recognizes any mnist-ts error by marker, not by prototype', () => {
    expect(MnistError.isInstance(new MnistError('x'))).toBe(true);
    expect(MnistError.isInstance(new ExampleError('x'))).toBe(true);
    expect(MnistError.isInstance(new SiblingError('x'))).toBe(true);
    expect(MnistError.isInstance(new ChildOfExampleError('x'))).toBe(true);
    const lookalike = Object.assign(new Error('y'), { [Symbol.for('mnist-ts.error')]: true });
    expect(MnistError.isInstance(lookalike)).toBe(true);
    expect(MnistError.isInstance(new Error('z'))).toBe(false);
    expect(MnistError.isInstance(null)).toBe(false);
    expect(MnistError.isInstance('mnist-ts.error')).toBe(false);
  });

  it("a subclass's isInstance is true for that class and its subclasses only", () => {
    expect(ExampleError.isInstance(new ExampleError('x'))).toBe(true);
    expect(ExampleError.isInstance(new ChildOfExampleError('x'))).toBe(true);
    expect(ExampleError.isInstance(new SiblingError('x'))).toBe(false);
    expect(ExampleError.isInstance(new MnistError('x'))).toBe(false);
    expect(SiblingError.isInstance(new ExampleError('x'))).toBe(false);
    expect(ChildOfExampleError.isInstance(new ExampleError('x'))).toBe(false);
    expect(ExampleError.isInstance(new Error('x'))).toBe(false);
    expect(ExampleError.isInstance(undefined)).toBe(false);
  });

  it("a subclass's isInstance holds across a second copy of its package", () => {
    // A second installed copy defines its own class, but Symbol.for gives it the same markers.
    const fromOtherCopy = Object.assign(new Error('from the other copy'), {
      [Symbol.for('mnist-ts.error')]: true,
      [Symbol.for('mnist-ts.error.ExampleError')]: true,
    });
    expect(fromOtherCopy).not.toBeInstanceOf(ExampleError);
    expect(ExampleError.isInstance(fromOtherCopy)).toBe(true);
    expect(MnistError.isInstance(fromOtherCopy)).toBe(true);
    expect(SiblingError.isInstance(fromOtherCopy)).toBe(false);
    // The marker must be `true`, not merely present.
    expect(ExampleError.isInstance({ [Symbol.for('mnist-ts.error.ExampleError')]: false })).toBe(false);
  });
});
