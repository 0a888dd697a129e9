import type { TrainingEvent } from '@mnist/train';
import { SingleBar } from 'cli-progress';
import { createEpochProgress, type ResumedEpoch } from './epoch-progress.js';

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
 * Whether `output` gets a live bar: only a terminal that can move its cursor. Pipes, files and
 * `TERM=dumb` get plain lines. Neither draws color (nothing in the trainer does), so `NO_COLOR`
 * holds either way; the bar's blocks are characters, not color.
 */
export function drawsBar(output: ProgressOutput, env: Readonly<Record<string, string | undefined>>): boolean {
  return output.isTTY === true && env.TERM !== 'dumb';
}

/** How the reporter is set up; every field has a default fit for tests. */
export interface ProgressReporterOptions {
  /** Print nothing. */
  quiet?: boolean;
  /** Images per batch, to weight the running means (the last batch of an epoch is smaller). */
  batchSize?: number;
  /** The epoch a resumed run continues, so its means cover the batches before the resume. */
  resumed?: ResumedEpoch;
  /** Decides bar or plain lines with `output.isTTY` (see `drawsBar`). */
  env?: Readonly<Record<string, string | undefined>>;
  now?: () => number;
}

/**
 * Creates the reporter the CLI feeds `train`'s events to. On a terminal each epoch gets a
 * cli-progress bar with the epoch's running mean loss and accuracy, samples/s and time left;
 * elsewhere the same figures are printed as plain lines at each quarter of an epoch, so logs stay
 * readable. `quiet` prints nothing.
 */
export function createProgressReporter(
  output: ProgressOutput,
  {
    quiet = false,
    batchSize = 64,
    resumed,
    env = {},
    now = () => performance.now(),
  }: ProgressReporterOptions = {},
): ProgressReporter {
  const tty = drawsBar(output, env);
  const progress = createEpochProgress({ batchSize, now, ...(resumed === undefined ? {} : { resumed }) });
  let bar: SingleBar | undefined;
  let barEpoch = -1;
  const write = (line: string) => {
    if (!quiet) output.write(`${line}\n`);
  };

  const stopBar = () => {
    bar?.stop();
    bar = undefined;
  };

  return {
    log(line) {
      stopBar();
      write(line);
      // Lines are logged between epochs after work that is not training (the per-epoch test
      // evaluation): the next epoch's time-left estimate starts from here, not from epochEnd.
      progress.restartClock();
    },
    stop: stopBar,
    onEvent(event) {
      if (quiet) return;
      const at = progress.onEvent(event);
      switch (event.type) {
        case 'trainStart':
          write(
            `training on ${event.trainSamples.toLocaleString('en-US')} images (${event.validationSamples.toLocaleString('en-US')} held out for validation), ${event.epochs} epoch${event.epochs === 1 ? '' : 's'} of ${event.batchesPerEpoch} batches${event.threads === undefined ? '' : `, ${event.threads} thread${event.threads === 1 ? '' : 's'}`}`,
          );
          break;
        case 'batchEnd': {
          if (at === undefined) break;
          const payload = {
            loss: at.loss.toFixed(4),
            acc: pct(at.accuracy),
            rate: rate(at.samplesPerSecond),
          };
          if (tty) {
            // A new bar for each epoch, also for the first batch after a resume in mid-epoch.
            if (bar === undefined || barEpoch !== at.epoch) {
              stopBar();
              barEpoch = at.epoch;
              bar = new SingleBar({
                format: `epoch ${at.epoch + 1}/${at.epochs} {bar} {percentage}% | {value}/{total} | loss {loss} acc {acc} | {rate} | eta {eta_formatted}`,
                barCompleteChar: '█',
                barIncompleteChar: '░',
                barsize: 24,
                hideCursor: true,
                clearOnComplete: true,
                stream: output as NodeJS.WritableStream,
                etaBuffer: 50,
                fps: 8,
              });
              bar.start(at.batchesPerEpoch, at.batchesDone - 1, { loss: '-', acc: '-', rate: '-' });
            }
            bar.update(at.batchesDone, payload);
          } else if (at.report) {
            write(
              `epoch ${at.epoch + 1}  ${Math.floor((at.batchesDone / at.batchesPerEpoch) * 100)}% (${at.batchesDone}/${at.batchesPerEpoch})  loss ${payload.loss}  acc ${payload.acc}  ${payload.rate}  eta ${formatSeconds(at.etaSeconds)}`,
            );
          }
          break;
        }
        case 'epochEnd':
          stopBar();
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
