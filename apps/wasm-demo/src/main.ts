import './style.css';
import { type DigitPrediction, loadModelFromUrl, predictDigits } from '@mnist/model';
import { tensor3d } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { DrawingPad } from './drawing-pad.js';
import { drawGrayscale } from './draw-grayscale.js';
import { decodeGallery } from './gallery-format.js';
import { initBackend } from './init-backend.js';
import { preprocessDigit } from './preprocess-digit.js';
import { formatPercent, renderProbabilities } from './render-probabilities.js';
import { startScratchView } from './scratch/scratch-view.js';
import { startTeachView } from './teach/teach-view.js';

// Asset locations relative to the page, so the built site works from any folder of any static host.
const MODEL_URL = './model/model.json';
const GALLERY_URL = './gallery.bin';
const WASM_DIR = './wasm/';
const MNIST_DIR = './mnist/';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  pad: byId<HTMLCanvasElement>('pad'),
  padFrame: byId<HTMLCanvasElement>('pad').parentElement!,
  clear: byId<HTMLButtonElement>('clear'),
  prediction: byId<HTMLOutputElement>('prediction'),
  confidence: byId<HTMLSpanElement>('confidence'),
  preview: byId<HTMLCanvasElement>('preview'),
  bars: byId<HTMLOListElement>('bars'),
  backend: byId<HTMLElement>('backend'),
  simd: byId<HTMLElement>('simd'),
  timing: byId<HTMLElement>('timing'),
  modelInfo: byId<HTMLElement>('model-info'),
  modelSource: byId<HTMLElement>('model-source'),
  notice: byId<HTMLParagraphElement>('notice'),
  announcer: byId<HTMLParagraphElement>('announcer'),
  gallery: byId<HTMLUListElement>('gallery'),
  gallerySummary: byId<HTMLElement>('gallery-summary'),
};

let model: LayersModel | null = null;
let announceTimer = 0;
let busy = false;
let stale = false;

renderProbabilities(ui.bars, null);
const pad = new DrawingPad(ui.pad, { onChange: () => void classifyDrawing() });
ui.clear.addEventListener('click', () => pad.clear());
ui.pad.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' || event.key === 'Delete' || event.key === 'Backspace') {
    event.preventDefault();
    pad.clear();
  }
});

/** Preprocesses the drawing and classifies it; calls that arrive while one runs collapse into one rerun. */
async function classifyDrawing(): Promise<void> {
  ui.padFrame.classList.toggle('has-ink', pad.hasInk);
  if (busy) {
    stale = true;
    return;
  }
  busy = true;
  document.body.dataset['busy'] = 'true';
  try {
    do {
      stale = false;
      const pixels = currentInput();
      drawGrayscale(ui.preview, pixels ?? new Float32Array(784), 28, 28);
      if (pixels === null || model === null) {
        showPrediction(null);
        continue;
      }
      const { prediction, milliseconds } = await classify(model, pixels);
      showPrediction(prediction, milliseconds);
    } while (stale);
  } finally {
    busy = false;
    document.body.dataset['busy'] = 'false';
  }
}

async function classify(
  current: LayersModel,
  pixels: Float32Array,
): Promise<{ prediction: DigitPrediction; milliseconds: number }> {
  const input = tensor3d(pixels, [1, 28, 28]);
  try {
    const start = performance.now();
    const [prediction] = await predictDigits(current, input);
    return { prediction: prediction!, milliseconds: performance.now() - start };
  } finally {
    input.dispose();
  }
}

function showPrediction(prediction: DigitPrediction | null, milliseconds?: number): void {
  ui.prediction.textContent = prediction === null ? '' : String(prediction.digit);
  ui.confidence.textContent =
    prediction === null
      ? model === null
        ? 'loading the model…'
        : 'draw to start'
      : `${formatPercent(prediction.probabilities[prediction.digit]!)} sure`;
  renderProbabilities(ui.bars, prediction);
  if (milliseconds !== undefined) ui.timing.textContent = `${milliseconds.toFixed(1)} ms`;
  // Screen readers hear the prediction once the drawing pauses, not at every frame of a stroke.
  clearTimeout(announceTimer);
  if (prediction === null && ui.announcer.textContent === '') return;
  announceTimer = window.setTimeout(() => {
    ui.announcer.textContent =
      prediction === null ? 'Pad cleared.' : `Prediction: ${prediction.digit}, ${ui.confidence.textContent}.`;
  }, 700);
}

async function showGallery(current: LayersModel): Promise<void> {
  const response = await fetch(GALLERY_URL);
  if (!response.ok) throw new Error(`${GALLERY_URL}: HTTP ${response.status}`);
  const set = decodeGallery(new Uint8Array(await response.arrayBuffer()));
  const images = tensor3d(
    Float32Array.from(set.images, (value) => value / 255),
    [set.count, set.rows, set.cols],
  );
  let predictions: DigitPrediction[];
  try {
    predictions = await predictDigits(current, images);
  } finally {
    images.dispose();
  }
  let wrong = 0;
  const tiles = predictions.map((prediction, i) => {
    const label = set.labels[i]!;
    const tile = document.createElement('li');
    tile.className = 'tile';
    const canvas = document.createElement('canvas');
    canvas.width = set.cols;
    canvas.height = set.rows;
    const size = set.rows * set.cols;
    drawGrayscale(canvas, set.images.subarray(i * size, (i + 1) * size), set.cols, set.rows, 255);
    const caption = document.createElement('span');
    caption.className = 'tile-label';
    if (prediction.digit === label) {
      caption.textContent = String(prediction.digit);
      tile.title = `Test image ${i}: a ${label}, predicted ${prediction.digit}`;
    } else {
      wrong++;
      tile.classList.add('wrong');
      caption.textContent = `${prediction.digit} ≠ ${label}`;
      tile.title = `Test image ${i}: a ${label}, but predicted ${prediction.digit} (misclassified)`;
    }
    tile.setAttribute('aria-label', tile.title);
    tile.append(canvas, caption);
    return tile;
  });
  ui.gallery.replaceChildren(...tiles);
  ui.gallerySummary.textContent =
    `${set.count} images of the MNIST test set, the model's known mistakes among them: ` +
    `${set.count - wrong} right, ${wrong} wrong` +
    (wrong > 0 ? ' (marked red: predicted ≠ true digit).' : '.');
}

/** The current drawing as the model sees it (784 values in [0, 1]), or `null` for an empty pad. */
function currentInput(): Float32Array | null {
  return pad.hasInk ? preprocessDigit(pad.imageData()) : null;
}

/** Switches the pad and the gallery to `next` (the shipped or the personal model). */
async function useModel(next: LayersModel, source: 'shipped' | 'personal' | 'trained here'): Promise<void> {
  model = next;
  ui.modelSource.textContent = source === 'personal' ? 'yours' : source;
  await classifyDrawing();
  document.body.dataset['galleryReady'] = 'false';
  await showGallery(next);
  document.body.dataset['galleryReady'] = 'true';
}

/** Median time of `runs` single-digit predictions of the current drawing (or a blank), for benchmarks. */
async function benchmark(runs: number): Promise<{ backend: string; runs: number; medianMs: number }> {
  if (model === null) throw new Error('benchmark: the model is not loaded yet');
  const pixels = currentInput() ?? new Float32Array(784);
  const times: number[] = [];
  await classify(model, pixels); // warm-up: the first call compiles and allocates
  for (let i = 0; i < runs; i++) times.push((await classify(model, pixels)).milliseconds);
  times.sort((a, b) => a - b);
  const middle = Math.floor(runs / 2);
  const medianMs = runs % 2 === 1 ? times[middle]! : (times[middle - 1]! + times[middle]!) / 2;
  return { backend: ui.backend.textContent ?? '', runs, medianMs };
}

async function start(): Promise<void> {
  const forceCpu = new URLSearchParams(location.search).get('backend') === 'cpu';
  const backend = await initBackend(WASM_DIR, { forceCpu });
  ui.backend.textContent = backend.name;
  ui.simd.textContent = backend.name === 'wasm' ? (backend.simd ? ' · SIMD' : ' · no SIMD') : '';
  if (backend.notice !== null) {
    ui.notice.textContent = backend.notice;
    ui.notice.hidden = false;
  }
  const loaded = await loadModelFromUrl(MODEL_URL);
  model = loaded;
  const parameters = loaded.countParams();
  ui.modelInfo.textContent = `${(parameters / 1000).toFixed(0)}k parameters`;
  document.body.dataset['ready'] = 'true';
  await classifyDrawing();
  await showGallery(loaded);
  document.body.dataset['galleryReady'] = 'true';
  await startTeachView({
    currentInput,
    shipped: loaded,
    modelUrl: MODEL_URL,
    wasmDir: WASM_DIR,
    useModel,
    announce: (text) => {
      ui.announcer.textContent = text;
    },
  });
  document.body.dataset['teachReady'] = 'true';
  await startScratchView({
    wasmDir: WASM_DIR,
    mnistDir: MNIST_DIR,
    useModel: (trained) => useModel(trained, 'trained here'),
    announce: (text) => {
      ui.announcer.textContent = text;
    },
  });
  document.body.dataset['scratchReady'] = 'true';
}

// For the benchmark and the end-to-end tests: the drawing as the model sees it, to compare with
// an exported model in Node.
Object.assign(window, { mnistDemo: { benchmark, currentInput: () => Array.from(currentInput() ?? []) } });

start().catch((error: unknown) => {
  ui.notice.textContent = `The demo could not start: ${(error as Error).message}`;
  ui.notice.hidden = false;
  ui.backend.textContent = 'none';
  console.error(error);
});
