import { loadCheckedModel } from '@mnist/model';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { type CurvePoint, drawCurves } from './draw-curves.js';
import type { ScratchReply, ScratchRequest, ScratchRunSettings } from './scratch-protocol.js';
import { clearScratchCheckpoint, loadScratchCheckpoint, saveScratchCheckpoint } from './scratch-store.js';
import { scratchWorkerCount } from './scratch-worker-count.js';

/** What the from-scratch view needs from the page. */
export interface ScratchViewOptions {
  /** URLs relative to the page: the WASM binaries and the folder of gzipped MNIST files. */
  wasmDir: string;
  mnistDir: string;
  /** Puts a model trained here in use for the drawing pad and the gallery. */
  useModel: (model: LayersModel) => Promise<void>;
  announce: (text: string) => void;
}

/** Test images measured at the end of a run: all 10,000. */
const TEST_IMAGES = 10_000;

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/**
 * The "Train one from scratch" view: Start / Pause / Resume / Stop of a run in a Web Worker
 * (`scratch-worker.ts`, a chunk fetched on Start; with helper workers on a cross-origin isolated
 * page, and the view says how many train), live curves, images per second and time left,
 * a checkpoint in IndexedDB after every 20 batches and on pause (a reload offers Resume), and at
 * the end the test accuracy, the confusion matrix and "Use this model".
 */
export async function startScratchView(options: ScratchViewOptions): Promise<void> {
  const ui = {
    images: byId<HTMLSelectElement>('scratch-images'),
    epochs: byId<HTMLSelectElement>('scratch-epochs'),
    start: byId<HTMLButtonElement>('scratch-start'),
    pause: byId<HTMLButtonElement>('scratch-pause'),
    resume: byId<HTMLButtonElement>('scratch-resume'),
    stop: byId<HTMLButtonElement>('scratch-stop'),
    use: byId<HTMLButtonElement>('scratch-use'),
    downloadRow: byId<HTMLElement>('scratch-download-row'),
    download: byId<HTMLProgressElement>('scratch-download'),
    progressRow: byId<HTMLElement>('scratch-progress-row'),
    progress: byId<HTMLProgressElement>('scratch-progress'),
    status: byId<HTMLElement>('scratch-status'),
    stats: byId<HTMLElement>('scratch-stats'),
    workers: byId<HTMLElement>('scratch-workers'),
    fingerprintRow: byId<HTMLElement>('scratch-fingerprint-row'),
    fingerprint: byId<HTMLElement>('scratch-fingerprint'),
    chart: byId<HTMLCanvasElement>('scratch-chart'),
    result: byId<HTMLElement>('scratch-result'),
    accuracy: byId<HTMLElement>('scratch-accuracy'),
    confusion: byId<HTMLTableElement>('scratch-confusion'),
  };
  let worker: Worker | undefined;
  let running = false;
  let checkpoint = await loadScratchCheckpoint();
  let trained: LayersModel | null = null;
  let points: CurvePoint[] = [];
  let total = 1;
  let runStart = 0;
  let resumedAt = 0;
  let leaving = false;
  addEventListener('pagehide', () => {
    leaving = true;
  });

  const buttons = () => {
    ui.start.disabled = running;
    ui.images.disabled = running;
    ui.epochs.disabled = running;
    ui.pause.disabled = !running;
    ui.stop.disabled = !running;
    ui.resume.disabled = running || checkpoint === null;
    ui.use.disabled = running || trained === null;
  };
  const status = (text: string) => {
    ui.status.textContent = text;
  };
  const showWorkers = (workers: number, isolated: boolean, started: boolean) => {
    const count = `${workers} worker${workers === 1 ? '' : 's'}`;
    ui.workers.dataset['workers'] = String(workers);
    ui.workers.textContent = isolated
      ? `${started ? 'Training on' : 'Trains on'} ${count}, sharing memory (the page is cross-origin isolated).`
      : `${started ? 'Training on' : 'Trains on'} ${count}: the page is not cross-origin isolated ` +
        '(served without the COOP/COEP headers), so workers cannot share memory.';
  };
  const workers = scratchWorkerCount(crossOriginIsolated, navigator.hardwareConcurrency);
  showWorkers(workers, crossOriginIsolated, false);
  if (checkpoint !== null) {
    status(
      `A run was interrupted after batch ${checkpoint.done} of ${checkpoint.total} ` +
        `(${checkpoint.settings.trainImages.toLocaleString('en')} images, ${checkpoint.settings.epochs} epochs): ` +
        'Resume continues it exactly where it stopped.',
    );
  }
  buttons();

  const onReply = (reply: ScratchReply) => {
    switch (reply.type) {
      case 'download':
        ui.downloadRow.hidden = false;
        ui.download.max = reply.total || 1;
        ui.download.value = reply.loaded;
        status(`Fetching MNIST: ${(reply.loaded / 1e6).toFixed(1)} of ${(reply.total / 1e6).toFixed(1)} MB…`);
        break;
      case 'started':
        total = reply.epochs * reply.batchesPerEpoch;
        resumedAt = reply.resumedAt;
        runStart = performance.now();
        ui.progressRow.hidden = false;
        ui.progress.max = total;
        ui.progress.value = resumedAt;
        showWorkers(reply.workers, reply.crossOriginIsolated, true);
        status(resumedAt > 0 ? `Resumed at batch ${resumedAt} of ${total}.` : `Training: ${total} batches.`);
        break;
      case 'batch': {
        points.push({ loss: reply.loss, accuracy: reply.accuracy });
        ui.progress.value = reply.done;
        const perBatch = (performance.now() - runStart) / 1000 / Math.max(1, reply.done - resumedAt);
        const left = Math.round(perBatch * (reply.total - reply.done));
        ui.stats.textContent =
          `batch ${reply.done} of ${reply.total} · loss ${reply.loss.toFixed(3)} · accuracy ` +
          `${(reply.accuracy * 100).toFixed(1)}% · ${Math.round(reply.samplesPerSecond)} images/s · ` +
          `${left} s left`;
        status('Training…');
        drawCurves(ui.chart, points, total);
        break;
      }
      case 'epoch':
        options.announce(
          `Epoch ${reply.epoch + 1} done: training accuracy ${(reply.accuracy * 100).toFixed(1)}%.`,
        );
        break;
      case 'checkpoint':
        checkpoint = { state: reply.state, settings: settings(), done: reply.done, total };
        void saveScratchCheckpoint(checkpoint)
          .then(() => {
            // Where a reload would resume from, once it is in IndexedDB (tests wait on it).
            ui.stats.dataset['savedBatch'] = String(reply.done);
          })
          .catch(report);
        break;
      case 'paused':
        running = false;
        buttons();
        status(`Paused after batch ${checkpoint?.done ?? 0} of ${total}: Resume continues it.`);
        break;
      case 'finished':
        void finish(reply).catch(report);
        break;
      case 'failed':
        report(new Error(reply.message));
        break;
    }
  };

  const settings = (): ScratchRunSettings =>
    checkpoint?.settings ?? {
      trainImages: Number(ui.images.value),
      testImages: TEST_IMAGES,
      epochs: Number(ui.epochs.value),
    };

  const start = (resume: boolean) => {
    if (!worker) {
      // The worker and the training code are a chunk of their own, fetched on the first Start.
      worker = new Worker(new URL('./scratch-worker.ts', import.meta.url), {
        type: 'module',
        name: 'scratch',
      });
      worker.onmessage = (event: MessageEvent<ScratchReply>) => onReply(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        worker = undefined;
        report(new Error(`the training worker failed: ${event.message || 'it could not start'}`));
      };
    }
    running = true;
    if (!resume) {
      checkpoint = null;
      points = [];
      drawCurves(ui.chart, points, 1);
      ui.result.hidden = true;
      ui.fingerprintRow.hidden = true;
      // The last run's figures would read as this run's until its first batch.
      ui.stats.textContent = '';
      delete ui.stats.dataset['savedBatch'];
    }
    buttons();
    status('Starting the WASM backend…');
    const absolute = (url: string) => new URL(url, document.baseURI).href;
    const request: ScratchRequest = {
      type: 'start',
      wasmDir: absolute(options.wasmDir),
      mnistDir: absolute(options.mnistDir),
      settings: settings(),
      workers,
      resumeFrom: resume && checkpoint !== null ? checkpoint.state.slice() : null,
    };
    worker.postMessage(request);
  };

  async function finish(reply: Extract<ScratchReply, { type: 'finished' }>): Promise<void> {
    running = false;
    checkpoint = null;
    await clearScratchCheckpoint();
    delete ui.stats.dataset['savedBatch'];
    trained?.dispose();
    // Before loading: the digest reads the weights as the worker sent them.
    const fingerprint = await weightsFingerprint(reply.model.weightData);
    trained = await loadCheckedModel(
      { load: async () => ({ ...reply.model }) },
      'the model trained in the page',
    );
    ui.result.hidden = false;
    ui.accuracy.textContent = `${(reply.testAccuracy * 100).toFixed(2)}%`;
    ui.accuracy.dataset['value'] = String(reply.testAccuracy);
    renderConfusion(ui.confusion, reply.confusion);
    ui.fingerprint.textContent = fingerprint ?? '';
    ui.fingerprintRow.hidden = fingerprint === null;
    buttons();
    status(
      `Done in ${reply.seconds.toFixed(0)} s: ${(reply.testAccuracy * 100).toFixed(2)}% on ` +
        `${reply.testImages.toLocaleString('en')} test images. "Use this model" puts it on the drawing pad.`,
    );
    options.announce(`Training done: ${(reply.testAccuracy * 100).toFixed(1)}% test accuracy.`);
  }

  function report(error: unknown): void {
    // A reload mid-run ends the worker and may cut a checkpoint write short: not a failure to show.
    if (leaving) return;
    running = false;
    buttons();
    status(`Something went wrong: ${(error as Error).message}`);
    console.error(error);
  }

  ui.start.addEventListener('click', () => {
    // At once, not after the store is cleared: nothing may say a checkpoint of this run is saved.
    delete ui.stats.dataset['savedBatch'];
    void clearScratchCheckpoint()
      .then(() => start(false))
      .catch(report);
  });
  ui.resume.addEventListener('click', () => start(true));
  ui.pause.addEventListener('click', () => worker?.postMessage({ type: 'pause' } satisfies ScratchRequest));
  ui.stop.addEventListener('click', () => {
    status('Stopping after this batch, then measuring…');
    worker?.postMessage({ type: 'stop' } satisfies ScratchRequest);
  });
  ui.use.addEventListener('click', () => {
    if (trained !== null) void options.useModel(trained).catch(report);
  });
}

/**
 * The first 16 hex digits of the SHA-256 of the trained weights, or `null` where WebCrypto is not
 * available (a page served over plain HTTP from another host than localhost is not a secure context).
 */
async function weightsFingerprint(weights: ArrayBuffer): Promise<string | null> {
  if (globalThis.crypto?.subtle === undefined) return null;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', weights));
  return Array.from(digest.subarray(0, 8), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function renderConfusion(table: HTMLTableElement, confusion: number[][]): void {
  const caption = table.querySelector('caption');
  const head = document.createElement('tr');
  head.append(cell('th', 'true \\ predicted'), ...confusion.map((_, digit) => cell('th', String(digit))));
  const rows = confusion.map((row, truth) => {
    const tr = document.createElement('tr');
    tr.append(
      cell('th', String(truth)),
      ...row.map((count, predicted) => {
        const td = cell('td', String(count));
        if (predicted === truth) td.className = 'diagonal';
        return td;
      }),
    );
    return tr;
  });
  table.replaceChildren(...(caption ? [caption] : []), head, ...rows);
}

function cell(tag: 'th' | 'td', text: string): HTMLTableCellElement {
  const element = document.createElement(tag);
  element.textContent = text;
  return element;
}
