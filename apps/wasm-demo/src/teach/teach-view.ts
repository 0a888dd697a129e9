import { loadCheckedModel } from '@mnist/model';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { drawGrayscale } from '../draw-grayscale.js';
import { downloadModel, EXPORT_FILES } from './download-model.js';
import {
  clearPersonal,
  loadExamples,
  loadPersonalModel,
  type StoredPersonalModel,
  saveExamples,
  savePersonalModel,
} from './personal-store.js';
import type { ModelData, TeachExample } from './teach-protocol.js';
import { TEACH_SET_FILES } from './teach-set-files.js';

/** What the teach view needs from the page. */
export interface TeachViewOptions {
  /** The current drawing as model input, or `null` when the pad is empty. */
  currentInput: () => Float32Array | null;
  /** The model the page ships, which every fine-tune starts from. */
  shipped: LayersModel;
  /** URLs of the shipped model and of the WASM binaries, relative to the page. */
  modelUrl: string;
  wasmDir: string;
  /** Puts `model` in use for the drawing pad and the gallery. */
  useModel: (model: LayersModel, source: 'shipped' | 'personal') => Promise<void>;
  /** Tells screen-reader users what happened. */
  announce: (text: string) => void;
}

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/**
 * The "Teach it your handwriting" view: the digit buttons (and keys 0-9) that keep the drawing as
 * a labelled example, the examples, and Teach / Reset / Export. Restores the personal model and
 * the examples from IndexedDB first, so a reload keeps them.
 */
export async function startTeachView(options: TeachViewOptions): Promise<void> {
  const ui = {
    digits: [...document.querySelectorAll<HTMLButtonElement>('.digit-button')],
    examples: byId<HTMLUListElement>('examples'),
    teach: byId<HTMLButtonElement>('teach'),
    reset: byId<HTMLButtonElement>('reset'),
    export: byId<HTMLButtonElement>('export'),
    progress: byId<HTMLProgressElement>('teach-progress'),
    status: byId<HTMLParagraphElement>('teach-status'),
    accuracy: byId<HTMLElement>('accuracy'),
    shippedAccuracy: byId<HTMLElement>('accuracy-shipped'),
    personalAccuracy: byId<HTMLElement>('accuracy-personal'),
    accuracyNote: byId<HTMLElement>('accuracy-note'),
  };
  let examples: TeachExample[] = await loadExamples();
  let stored: StoredPersonalModel | null = await loadPersonalModel();
  let personal: LayersModel | null = null;
  let teaching = false;

  const refresh = () => {
    ui.teach.disabled = teaching || examples.length === 0;
    ui.reset.disabled = teaching || (examples.length === 0 && stored === null);
    ui.export.disabled = teaching || stored === null;
    ui.examples.replaceChildren(...examples.map(exampleTile));
    ui.accuracy.hidden = stored === null;
    if (stored !== null) {
      const { shipped, personal: mine, images } = stored.accuracy;
      const change = (mine - shipped) * 100;
      ui.shippedAccuracy.textContent = percent(shipped);
      ui.shippedAccuracy.dataset['value'] = String(shipped);
      ui.personalAccuracy.textContent = percent(mine);
      ui.personalAccuracy.dataset['value'] = String(mine);
      ui.accuracyNote.textContent =
        `On ${images.toLocaleString('en')} MNIST test images that neither model trained on: ` +
        `${change >= 0 ? '+' : '−'}${Math.abs(change).toFixed(2)} points for your model.`;
    }
  };
  const status = (text: string) => {
    ui.status.textContent = text;
  };
  const idleStatus = () => {
    if (stored !== null) {
      status(
        `Your model is in use, taught on ${plural(stored.examples, 'example')} in ${stored.seconds.toFixed(1)} s ` +
          `(training ${stored.trainSeconds.toFixed(1)} s)` +
          (examples.length > stored.examples
            ? `. ${plural(examples.length - stored.examples, 'new example')} since: Teach again to use them.`
            : '.'),
      );
    } else if (examples.length > 0) {
      status(`${plural(examples.length, 'example')} kept. Teach fine-tunes the model on them.`);
    } else {
      status('No examples yet: draw a digit, then press what it was.');
    }
  };

  if (stored !== null) {
    personal = await modelFromData(stored.model);
    await options.useModel(personal, 'personal');
  }
  refresh();
  idleStatus();

  const keep = async (label: number) => {
    const pixels = options.currentInput();
    if (pixels === null) {
      options.announce('Draw a digit first, then say what it was.');
      status('Draw a digit first, then press what it was.');
      return;
    }
    examples = [...examples, { pixels, label }];
    await saveExamples(examples);
    refresh();
    idleStatus();
    options.announce(`Kept as a ${label}. ${plural(examples.length, 'example')}.`);
  };
  for (const button of ui.digits) {
    button.addEventListener('click', () => void keep(Number(button.dataset['digit'])).catch(report));
  }
  document.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement | null;
    if (event.altKey || event.ctrlKey || event.metaKey || !/^[0-9]$/.test(event.key)) return;
    if (target?.closest('input, textarea, select, [contenteditable="true"]')) return;
    event.preventDefault();
    void keep(Number(event.key)).catch(report);
  });

  ui.teach.addEventListener('click', () => {
    void teachNow().catch(report);
  });
  ui.reset.addEventListener('click', () => {
    void reset().catch(report);
  });
  ui.export.addEventListener('click', () => {
    if (stored === null) return;
    void downloadModel(stored.model)
      .then(() => status(`Exported ${EXPORT_FILES.modelJson} and ${EXPORT_FILES.weights}.`))
      .catch(report);
  });

  async function teachNow(): Promise<void> {
    teaching = true;
    refresh();
    const started = performance.now();
    ui.progress.hidden = false;
    ui.progress.removeAttribute('value');
    status('Teaching: loading the training backend and MNIST images…');
    try {
      // The worker and all training code come as a separate chunk, fetched on the first Teach.
      const { teachInWorker } = await import('./teach-client.js');
      const absolute = (url: string) => new URL(url, document.baseURI).href;
      const taught = await teachInWorker(
        {
          modelUrl: absolute(options.modelUrl),
          wasmDir: absolute(options.wasmDir),
          replayUrl: absolute(TEACH_SET_FILES.replay),
          heldBackUrl: absolute(TEACH_SET_FILES.heldBack),
          examples,
        },
        (progress) => {
          if (progress.phase === 'training') {
            ui.progress.max = progress.total;
            ui.progress.value = progress.done;
            status(`Teaching: step ${progress.done} of ${progress.total}…`);
          } else if (progress.phase === 'measuring') {
            status('Teaching: measuring both models on held-back MNIST images…');
          }
        },
      );
      const next = await modelFromData(taught.model);
      const seconds = (performance.now() - started) / 1000;
      stored = {
        model: taught.model,
        accuracy: taught.accuracy,
        examples: examples.length,
        seconds,
        trainSeconds: taught.trainSeconds,
        savedAt: new Date().toISOString(),
      };
      await savePersonalModel(stored);
      const previous = personal;
      personal = next;
      await options.useModel(next, 'personal');
      previous?.dispose();
      options.announce(`Taught in ${seconds.toFixed(1)} seconds. Your model is in use.`);
    } finally {
      teaching = false;
      ui.progress.hidden = true;
      refresh();
      idleStatus();
    }
  }

  async function reset(): Promise<void> {
    await clearPersonal();
    examples = [];
    stored = null;
    // The examples go from the page before the model swap is awaited, so the page never shows the
    // shipped model beside the forgotten examples.
    refresh();
    await options.useModel(options.shipped, 'shipped');
    personal?.dispose();
    personal = null;
    refresh();
    idleStatus();
    options.announce('Back to the shipped model; your examples are forgotten.');
  }

  function report(error: unknown): void {
    teaching = false;
    refresh();
    status(`Something went wrong: ${(error as Error).message}`);
    console.error(error);
  }
}

function modelFromData(data: ModelData): Promise<LayersModel> {
  return loadCheckedModel({ load: async () => ({ ...data }) }, 'the personal model (IndexedDB)');
}

function exampleTile(example: TeachExample, index: number): HTMLLIElement {
  const tile = document.createElement('li');
  tile.className = 'example';
  const canvas = document.createElement('canvas');
  canvas.width = 28;
  canvas.height = 28;
  drawGrayscale(canvas, example.pixels, 28, 28);
  const label = document.createElement('span');
  label.textContent = String(example.label);
  tile.append(canvas, label);
  tile.setAttribute('aria-label', `Example ${index + 1}: a ${example.label}`);
  return tile;
}

function percent(accuracy: number): string {
  return `${(accuracy * 100).toFixed(2)}%`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
