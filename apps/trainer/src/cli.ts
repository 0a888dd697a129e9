import { EXIT, runTrainer } from './run-trainer.js';
import { routeConsoleToStderr } from './route-console-to-stderr.js';
import { selectCommand } from './select-command.js';
import { runSweepCommand } from './sweep/index.js';

// The one argument dispatch: `mnist-train [train] ...` trains one model, `mnist-train sweep ...`
// runs a hyperparameter search (with its own Ctrl-C handling).
const { command, args } = selectCommand(process.argv.slice(2));
if (command === 'sweep') process.exit(await runSweepCommand(args));

// With --json, stdout is for the events alone.
if (args.includes('--json')) routeConsoleToStderr();

// Training: wires the process to runTrainer and turns Ctrl-C (or SIGTERM, as sent by process
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
  process.exitCode = await runTrainer(args, {
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
