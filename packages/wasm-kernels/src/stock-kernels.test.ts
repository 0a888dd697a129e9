import { describe, expect, it } from 'vitest';
import { rememberStockKernel, stockKernelResult } from './stock-kernels.js';
import { WasmKernelError } from './wasm-kernel-error.js';

describe('stockKernelResult', () => {
  it('runs the remembered stock kernel on the same arguments and returns its result', () => {
    const out = { dataId: {}, shape: [2], dtype: 'float32' as const };
    const seen: unknown[] = [];
    rememberStockKernel({
      kernelName: 'StockKernelsTestOp',
      backendName: 'wasm',
      kernelFunc: (args) => {
        seen.push(args);
        return out;
      },
    });
    const args = { inputs: {}, backend: {}, attrs: { k: 1 } };
    expect(stockKernelResult('StockKernelsTestOp', args)).toBe(out);
    expect(seen).toEqual([args]);
  });

  it('throws a WasmKernelError naming the case and the kernel when no stock kernel was remembered', () => {
    const args = { inputs: {}, backend: {}, attrs: {} };
    expect(() => stockKernelResult('NoSuchStockKernel', args, 'NoSuchStockKernel of int32')).toThrow(
      WasmKernelError,
    );
    expect(() => stockKernelResult('NoSuchStockKernel', args)).toThrow(
      /this NoSuchStockKernel needs the stock wasm NoSuchStockKernel, which was not registered before ours; import '@tensorflow\/tfjs-backend-wasm' first/,
    );
  });
});
