import { registerWasmTrainingKernels } from '@mnist/wasm-kernels';
import { env, findBackendFactory, getBackend, ready, setBackend } from '@tensorflow/tfjs-core';
import type { BackendChoice, BackendName } from './backend-types.js';
import { BackendUnavailableError } from './backend-unavailable-error.js';

/** Options of `selectBackend`. */
export interface SelectBackendOptions {
  /**
   * Called by `auto` for each backend it tried and skipped, with the reason, before it tries the
   * next: `('tensorflow', error)` when tfjs-node cannot load, `('wasm', error)` when WASM cannot
   * start. Use it to tell the user why training is slower than it could be.
   */
  onFallback?: (skipped: BackendName, reason: BackendUnavailableError) => void;
}

// A variable, not a literal: bundlers (Vite for the browser demo) would otherwise try to resolve
// the optional native package, and TypeScript would need its types installed to build this file.
const TFJS_NODE = '@tensorflow/tfjs-node';

// One attempt per process (per thread: each worker thread has its own module graph): a broken
// native install does not mend itself, and an app may call `auto` more than once.
let tfjsNodeImport: Promise<unknown> | undefined;

/**
 * Loads, initializes and activates the tfjs backend for `choice` and returns the name of the one
 * that is now active:
 * - `auto`: tfjs-node (`tensorflow`) if `@tensorflow/tfjs-node` is installed and its native library
 *   loads, else `wasm`, else `cpu`; each failure is silent except for `options.onFallback`;
 * - `node`, `wasm`, `cpu`: that backend or a `BackendUnavailableError` saying how to install it.
 *
 * Each backend package is imported only when asked for, so an app installs only the ones it uses.
 * For `wasm` it also registers the training kernels of `@mnist/wasm-kernels` (without them the
 * WASM backend cannot compute CNN gradients) and keeps the backend on its single-threaded builds,
 * which those kernels need, also on a cross-origin isolated page (where tfjs would pick its
 * threaded build); several cores train through `threads` of `@mnist/train`. An app calls it once at start-up, before creating
 * the model, so the weights are made on the backend that trains them (`train` of `@mnist/train`
 * trains on the active backend and never switches). Calling it again with the same choice is cheap.
 *
 * @throws {BackendUnavailableError} for an explicit choice that cannot be used.
 */
export async function selectBackend(
  choice: BackendChoice,
  options: SelectBackendOptions = {},
): Promise<BackendName> {
  switch (choice) {
    case 'node':
      return activateNode();
    case 'wasm':
      return activateWasm();
    case 'cpu':
      return activateCpu();
    case 'auto': {
      for (const [name, activate] of [
        ['tensorflow', activateNode],
        ['wasm', activateWasm],
      ] as const) {
        try {
          return await activate();
        } catch (error) {
          if (!(error instanceof BackendUnavailableError)) throw error;
          options.onFallback?.(name, error);
        }
      }
      return activateCpu();
    }
    default:
      throw new BackendUnavailableError(
        `backend must be one of 'auto', 'node', 'wasm', 'cpu', got ${JSON.stringify(choice)}`,
      );
  }
}

async function activateNode(): Promise<BackendName> {
  try {
    tfjsNodeImport ??= import(/* @vite-ignore */ TFJS_NODE);
    await tfjsNodeImport;
  } catch (cause) {
    throw new BackendUnavailableError(
      `backend 'node' needs @tensorflow/tfjs-node, which could not be loaded (${firstLine(cause)}). ` +
        'Install it with `pnpm add @tensorflow/tfjs-node@4.22.0` (it downloads a native libtensorflow; ' +
        'if that failed, run `npm rebuild @tensorflow/tfjs-node --build-addon-from-source`), ' +
        "or choose backend 'wasm' or 'auto'.",
      { cause },
    );
  }
  if (findBackendFactory('tensorflow') === null) {
    // tfjs-node registered itself with another copy of @tensorflow/tfjs-core than ours.
    throw new BackendUnavailableError(
      "backend 'node': @tensorflow/tfjs-node loaded but registered its backend with a different copy of " +
        '@tensorflow/tfjs-core; install tfjs-node at the same version as @tensorflow/tfjs-core (4.22.0) so ' +
        'the package manager dedupes them.',
    );
  }
  return activate('tensorflow', 'node');
}

async function activateWasm(): Promise<BackendName> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
  } catch (cause) {
    throw new BackendUnavailableError(
      `backend 'wasm' needs @tensorflow/tfjs-backend-wasm, which could not be loaded (${firstLine(cause)}). ` +
        "Install it with `pnpm add @tensorflow/tfjs-backend-wasm@4.22.0`, or choose backend 'cpu'.",
      { cause },
    );
  }
  // Idempotent; done before the backend initializes so kernels with a setup step get set up.
  registerWasmTrainingKernels();
  // The single-threaded builds only: on a cross-origin isolated page the backend would pick its
  // threaded build, whose shared memory the training kernels cannot use (and whose own thread
  // pool would compete with @mnist/train's gradient threads for the cores). Node never gets it.
  env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  return activate('wasm', 'wasm');
}

async function activateCpu(): Promise<BackendName> {
  try {
    await import('@tensorflow/tfjs-backend-cpu');
  } catch (cause) {
    throw new BackendUnavailableError(
      `backend 'cpu' needs @tensorflow/tfjs-backend-cpu, which could not be loaded (${firstLine(cause)}). ` +
        'Install it with `pnpm add @tensorflow/tfjs-backend-cpu@4.22.0`.',
      { cause },
    );
  }
  return activate('cpu', 'cpu');
}

async function activate(name: BackendName, choice: BackendChoice): Promise<BackendName> {
  let ok: boolean;
  try {
    ok = getBackend() === name || (await setBackend(name));
    await ready();
  } catch (cause) {
    throw new BackendUnavailableError(`backend '${choice}' failed to initialize: ${firstLine(cause)}`, {
      cause,
    });
  }
  if (!ok || getBackend() !== name) {
    throw new BackendUnavailableError(
      `backend '${choice}' failed to initialize (tfjs could not set backend '${name}'; see the warning above)`,
    );
  }
  return name;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.trim();
}
