import { describe, expect, it } from 'vitest';
import { WasmKernelError } from './wasm-kernel-error.js';

describe('WasmKernelError', () => {
  it('has its literal name, message and cause', () => {
    const cause = new Error('root');
    const error = new WasmKernelError('no wasm backend', { cause });
    expect(error.name).toBe('WasmKernelError');
    expect(error.message).toBe('no wasm backend');
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
  });

  it('isInstance checks its own marker, so it holds across package copies and nothing else', () => {
    expect(WasmKernelError.isInstance(new WasmKernelError('x'))).toBe(true);
    const fromOtherCopy = Object.assign(new Error('y'), {
      [Symbol.for('mnist-ts.error.WasmKernelError')]: true,
    });
    expect(WasmKernelError.isInstance(fromOtherCopy)).toBe(true);
    // Another mnist-ts error (only the base marker) is not a kernel error.
    const otherMnistError = Object.assign(new Error('z'), { [Symbol.for('mnist-ts.error')]: true });
    expect(WasmKernelError.isInstance(otherMnistError)).toBe(false);
    expect(WasmKernelError.isInstance(new Error('z'))).toBe(false);
  });

  it('carries the mnist-ts base marker, so MnistError.isInstance (which checks it) sees it', () => {
    const error = new WasmKernelError('x') as unknown as Record<symbol, unknown>;
    expect(error[Symbol.for('mnist-ts.error')]).toBe(true);
  });
});
