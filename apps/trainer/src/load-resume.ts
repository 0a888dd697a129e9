import { MnistError } from '@mnist/core';
import { type ModelConfig, resolveModelConfig } from '@mnist/model';
import { CheckpointError } from './checkpoint-error.js';
import { type Checkpoint, readCheckpoint } from './checkpoint-file.js';
import { CliUsageError } from './cli-usage-error.js';
import { type CliDefaults, type CliOptions, parseCliArgs, stripLeadingSeparator } from './parse-cli-args.js';
import { resolveUserPath } from './resolve-user-path.js';
import { resolveTrainerTraining, type TrainerTrainingConfig } from './trainer-training-config.js';

/** A run to continue: the checkpoint, and the options and folder its command was first run with. */
export interface ResumePlan {
  file: string;
  checkpoint: Checkpoint;
  /** The original command's options (plus `--quiet` if given now; `--json` as given now). */
  options: CliOptions;
  /** The folder the original command's relative paths were taken from. */
  baseDir: string;
  model: ModelConfig;
  training: TrainerTrainingConfig;
}

/**
 * For `--resume DIR`: reads the checkpoint in `DIR` and the command it belongs to, so the run
 * continues with exactly its original flags, data and configs (a --config file edited since does
 * not matter). Only `--quiet` and `--json` may accompany `--resume`: they choose how this process
 * prints, not what it trains, so `--json` follows the resuming command alone. Throws
 * `CliUsageError` for other flags, `CheckpointError` for a missing, damaged or incompatible
 * checkpoint.
 */
export async function loadResume(
  argv: readonly string[],
  options: CliOptions,
  defaults: CliDefaults,
  io: { env: Readonly<Record<string, string | undefined>>; cwd: string },
): Promise<ResumePlan> {
  const extra = stripLeadingSeparator(argv).filter(
    (arg, i, all) =>
      arg !== '--quiet' && arg !== '--json' && !arg.startsWith('--resume') && all[i - 1] !== '--resume',
  );
  if (extra.length > 0) {
    throw new CliUsageError(
      `--resume continues a run with the flags it was started with; drop ${extra.join(' ')} (only --quiet and --json may be added)`,
    );
  }
  const { file, checkpoint } = await readCheckpoint(resolveUserPath(options.resume!, io.env, io.cwd));
  try {
    const parsed = parseCliArgs(checkpoint.run.argv, defaults);
    if (parsed.action !== 'run') throw new CheckpointError(`${file}: the saved command does not train`);
    return {
      file,
      checkpoint,
      options: { ...parsed.options, quiet: parsed.options.quiet || options.quiet, json: options.json },
      baseDir: checkpoint.run.baseDir,
      model: resolveModelConfig(checkpoint.config.model),
      training: resolveTrainerTraining(checkpoint.config.training),
    };
  } catch (cause) {
    if (cause instanceof CheckpointError || !MnistError.isInstance(cause)) throw cause;
    throw new CheckpointError(
      `${file}: the saved command or configs are no longer valid (${cause.message})`,
      {
        cause,
      },
    );
  }
}
