import { EXIT, runTrainer } from './run-trainer.js';

// >>> sweep hook (owned by src/sweep/): `mnist-train sweep ...` runs a hyperparameter search instead of one run.
import { runSweepCommand, sweepArgs } from './sweep/index.js';

const sweepArgv = sweepArgs(process.argv.slice(2));
if (sweepArgv !== undefined) process.exit(await runSweepCommand(sweepArgv));
// <<< sweep hook

// The CLI entry: wires the process to runTrainer and turns Ctrl-C (or SIGTERM, as sent by process
// managers) into a clean stop: the current batch finishes and a checkpoint is written.
const controller = new AbortController();
let interrupts = 0;
const stop = () => {
  interrupts++;
  if (interrupts > 1) process.exit(EXIT.interrupted);
  process.stderr.write(
    '\nmnist-train: stopping after this batch and saving a checkpoint (Ctrl-C again to quit at once)\n',
  );
  controller.abort();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

try {
  process.exitCode = await runTrainer(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
  });
} catch (error) {
  process.stderr.write(
    `mnist-train: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = EXIT.failed;
}
