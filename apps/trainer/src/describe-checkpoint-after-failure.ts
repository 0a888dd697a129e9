import { readCheckpoint } from './checkpoint-file.js';
import { CheckpointError } from './checkpoint-error.js';

/** Codes of a write that failed for want of room. */
const OUT_OF_SPACE = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/**
 * What a run that failed to write one of its files leaves to continue from, for its error
 * message: the checkpoint in `outDir` is read back and verified (magic, version, checksum, layout)
 * rather than assumed whole, then described with the command that continues it (`code` is the
 * failure's errno code, which picks the advice), e.g.
 * `the previous checkpoint /out/checkpoint.ckpt is intact (verified; it continues at epoch 2,
 * batch 5): free some space, then resume with: mnist-train --resume /out`.
 */
export async function describeCheckpointAfterFailure(
  outDir: string,
  resumeCommand: string,
  code: string | undefined,
): Promise<string> {
  const then =
    code !== undefined && OUT_OF_SPACE.has(code)
      ? 'free some space, then'
      : 'once the folder can be written,';
  try {
    const { file, checkpoint } = await readCheckpoint(outDir);
    const { state, config } = checkpoint;
    const where =
      state.epoch >= config.training.epochs || state.stoppedEarly
        ? 'training is complete in it, so a resume only evaluates and saves'
        : `it continues at epoch ${state.epoch + 1}, batch ${state.batch + 1}`;
    return `the previous checkpoint ${file} is intact (verified; ${where}): ${then} resume with: ${resumeCommand}`;
  } catch (error) {
    if (!CheckpointError.isInstance(error)) throw error;
    if ((error.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      return 'no checkpoint had been written yet, so there is nothing to resume';
    }
    return `and the checkpoint does not verify either: ${error.message}`;
  }
}
