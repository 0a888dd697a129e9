import { MnistError } from '@mnist/core';
import { describe, expect, it } from 'vitest';
import { OutputWriteError } from './output-write-error.js';

const errno = (code: string) => Object.assign(new Error(`${code}: something, write`), { code });

describe('OutputWriteError', () => {
  it('names what was written, where, and the errno code in words', () => {
    const error = new OutputWriteError('the checkpoint', '/out/checkpoint.ckpt', errno('ENOSPC'));
    expect(error.message).toBe(
      'cannot write the checkpoint /out/checkpoint.ckpt: no space left on the device (ENOSPC)',
    );
    expect(error).toMatchObject({ name: 'OutputWriteError', file: '/out/checkpoint.ckpt', code: 'ENOSPC' });
    expect(OutputWriteError.isInstance(error)).toBe(true);
    expect(MnistError.isInstance(error)).toBe(true);
    expect(new OutputWriteError('the file', '/x', errno('EDQUOT')).message).toBe(
      'cannot write the file /x: disk quota exceeded (EDQUOT)',
    );
    expect(new OutputWriteError('the file', '/x', errno('EWHATEVER')).message).toBe(
      'cannot write the file /x: failed (EWHATEVER)',
    );
    expect(new OutputWriteError('the file', '/x', new Error('odd')).message).toBe(
      'cannot write the file /x: odd',
    );
  });

  it('finds the code through a chain of causes (a ModelSaveError wraps the fs error)', async () => {
    const wrapped = new MnistError('Cannot save the model to /out: ENOSPC', { cause: errno('ENOSPC') });
    const failure = OutputWriteError.guard('the model into', '/out', () => Promise.reject(wrapped));
    await expect(failure).rejects.toMatchObject({
      message: 'cannot write the model into /out: no space left on the device (ENOSPC)',
      code: 'ENOSPC',
      cause: wrapped,
    });
    await expect(OutputWriteError.guard('x', '/y', async () => 42)).resolves.toBe(42);
  });
});
