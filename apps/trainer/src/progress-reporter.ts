import type { TrainingEvent } from '@mnist/train';
import { SingleBar } from 'cli-progress';

/** Where progress goes: a writable stream, and whether it is a terminal (bars) or not (plain lines). */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Turns training events into a live bar per epoch (terminal) or a few plain lines (logs, CI). */
export interface ProgressReporter {
  onEvent(event: TrainingEvent): void;
  /** Prints a line without tearing a bar that is being drawn; the next epoch is timed from it. */
  log(line: string): void;
  /** Stops any bar still running (on errors or Ctrl-C). */
  stop(): void;
}

/** A duration as progress lines print it: `41s`, `2m05s`, `1h3m` (`?` when unknown). */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const m = Math.floor(seconds / 60);
  return m < 60
    ? `${m}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${m % 60}m`;
}

const rate = (samplesPerSecond: number) => `${Math.round(samplesPerSecond).toLocaleString('en-US')} img/s`;
const pct = (value: number) => `${(value * 100).toFixed(2)}%`;

/** The one-line summary printed after each epoch. */
export function formatEpochLine(event: Extract<TrainingEvent, { type: 'epochEnd' }>): string {
  const width = String(event.epochs).length;
  return [
    `epoch ${String(event.epoch + 1).padStart(width)}/${event.epochs}`,
    `loss ${event.loss.toFixed(4)}`,
    `acc ${pct(event.accuracy)}`,
    `val_loss ${event.valLoss.toFixed(4)}`,
    `val_acc ${pct(event.valAccuracy)}`,
    `${event.seconds.toFixed(1)}s`,
    rate(event.samplesPerSecond),
  ].join('  ');
}

/**
 * Creates the reporter the CLI feeds `train`'s events to. On a terminal each epoch gets a
 * cli-progress bar with loss, accuracy, samples/s and time left; elsewhere the same figures are
 * printed as plain lines at each quarter of an epoch, so logs stay readable. `quiet` prints nothing.
 */
export function createProgressReporter(
  output: ProgressOutput,
  { quiet = false, now = () => performance.now() }: { quiet?: boolean; now?: () => number } = {},
): ProgressReporter {
  const tty = output.isTTY === true;
  let bar: SingleBar | undefined;
  let epochStart = 0;
  let epochs = 0;
  let nextQuarter = 1;
  const write = (line: string) => {
    if (!quiet) output.write(`${line}\n`);
  };

  const stopBar = () => {
    bar?.stop();
    bar = undefined;
  };

  return {
    log(line) {
      if (bar) bar.stop();
      write(line);
      bar = undefined;
      // Lines are logged between epochs after work that is not training (the per-epoch test
      // evaluation): the next epoch's time-left estimate starts from here, not from epochEnd.
      epochStart = now();
    },
    stop: stopBar,
    onEvent(event) {
      if (quiet) return;
      switch (event.type) {
        case 'trainStart':
          epochStart = now();
          epochs = event.epochs;
          write(
            `training on ${event.trainSamples.toLocaleString('en-US')} images (${event.validationSamples.toLocaleString('en-US')} held out for validation), ${event.epochs} epoch${event.epochs === 1 ? '' : 's'} of ${event.batchesPerEpoch} batches${event.threads === undefined ? '' : `, ${event.threads} thread${event.threads === 1 ? '' : 's'}`}`,
          );
          break;
        case 'batchEnd': {
          const done = event.batch + 1;
          if (event.batch === 0) {
            nextQuarter = 1;
            if (tty) {
              stopBar();
              const label = `epoch ${event.epoch + 1}/${epochs}`;
              bar = new SingleBar({
                format: `${label} {bar} {percentage}% | {value}/{total} | loss {loss} acc {acc} | {rate} | eta {eta_formatted}`,
                barCompleteChar: '█',
                barIncompleteChar: '░',
                barsize: 24,
                hideCursor: true,
                clearOnComplete: true,
                stream: output as NodeJS.WritableStream,
                etaBuffer: 50,
                fps: 8,
              });
              bar.start(event.batchesPerEpoch, 0, { loss: '-', acc: '-', rate: '-' });
            }
          }
          const payload = {
            loss: event.loss.toFixed(4),
            acc: pct(event.accuracy),
            rate: rate(event.samplesPerSecond),
          };
          if (bar) {
            bar.update(done, payload);
          } else if (
            !tty &&
            done >= (nextQuarter * event.batchesPerEpoch) / 4 &&
            done < event.batchesPerEpoch
          ) {
            const elapsed = (now() - epochStart) / 1000;
            const left = (elapsed / done) * (event.batchesPerEpoch - done);
            write(
              `epoch ${event.epoch + 1}  ${Math.floor((done / event.batchesPerEpoch) * 100)}% (${done}/${event.batchesPerEpoch})  loss ${payload.loss}  acc ${payload.acc}  ${payload.rate}  eta ${formatSeconds(left)}`,
            );
            while (done >= (nextQuarter * event.batchesPerEpoch) / 4) nextQuarter++;
          }
          break;
        }
        case 'epochEnd':
          stopBar();
          epochStart = now();
          write(formatEpochLine(event));
          break;
        case 'trainEnd':
          stopBar();
          write(
            `trained ${event.epochsRun} epoch${event.epochsRun === 1 ? '' : 's'} in ${formatSeconds(event.seconds)}` +
              (event.stoppedEarly ? `, stopped early (best epoch ${event.bestEpoch + 1})` : ''),
          );
          break;
      }
    },
  };
}
