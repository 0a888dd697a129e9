import { del, get, set } from 'idb-keyval';
import { demoStore as db } from '../demo-store.js';
import type { HeldBackAccuracy, ModelData, TeachExample } from './teach-protocol.js';

/** The personal model as kept in IndexedDB, with the figures the page shows beside it. */
export interface StoredPersonalModel {
  model: ModelData;
  accuracy: HeldBackAccuracy;
  /** How many of the person's examples it was taught on. */
  examples: number;
  /** Seconds from "Teach" to the model in use, and of those the training loop's. */
  seconds: number;
  trainSeconds: number;
  savedAt: string;
}

/** The kept examples, oldest first; none when IndexedDB holds none (or is unavailable). */
export async function loadExamples(): Promise<TeachExample[]> {
  return (await get<TeachExample[]>('examples', db())) ?? [];
}

/** Replaces the kept examples. */
export function saveExamples(examples: readonly TeachExample[]): Promise<void> {
  return set('examples', examples, db());
}

/** The personal model, or `null` when there is none. */
export async function loadPersonalModel(): Promise<StoredPersonalModel | null> {
  return (await get<StoredPersonalModel>('personal-model', db())) ?? null;
}

/** Keeps `personal` as the personal model. */
export function savePersonalModel(personal: StoredPersonalModel): Promise<void> {
  return set('personal-model', personal, db());
}

/** Forgets the personal model and the examples. */
export async function clearPersonal(): Promise<void> {
  await Promise.all([del('personal-model', db()), del('examples', db())]);
}
