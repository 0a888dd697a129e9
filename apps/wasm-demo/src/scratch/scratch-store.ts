import { del, get, set } from 'idb-keyval';
import { demoStore } from '../demo-store.js';
import type { ScratchRunSettings } from './scratch-protocol.js';

/** The latest checkpoint of an unfinished from-scratch run, as IndexedDB keeps it. */
export interface StoredScratchCheckpoint {
  /** `encodeTrainingState` bytes. */
  state: Uint8Array;
  settings: ScratchRunSettings;
  /** Batches done, and of how many. */
  done: number;
  total: number;
}

const KEY = 'scratch-checkpoint';

/** The checkpoint of an unfinished run, or `null`. */
export async function loadScratchCheckpoint(): Promise<StoredScratchCheckpoint | null> {
  return (await get<StoredScratchCheckpoint>(KEY, demoStore())) ?? null;
}

/** Keeps `checkpoint` as the run's latest. */
export function saveScratchCheckpoint(checkpoint: StoredScratchCheckpoint): Promise<void> {
  return set(KEY, checkpoint, demoStore());
}

/** Forgets the run's checkpoint (it finished, or a new run starts). */
export function clearScratchCheckpoint(): Promise<void> {
  return del(KEY, demoStore());
}
