/**
 * Keeps the patient search index (store/patient-search.ts) caught up in the
 * background: after a pull has reported "Up to date", and when the engine
 * opens a store with changes the index has not seen, it rebuilds the
 * changed patients' terms a step at a time, each step its own short
 * transaction, yielding to the app and the sync between steps. So a first
 * sync of many patients ends when its rows are in, not when their index
 * is; a search or duplicate check that comes earlier finishes the index
 * first (as every search does), so it never misses a patient.
 */
import { refreshPatientTermsStep } from './store/patient-search.ts';
import type { SqliteDatabase } from './store/sqlite-database.ts';

/** Patients per step: about 20–50 ms on a slow 2-core machine (bench/README.md), short enough not to be felt. */
export const PATIENTS_PER_STEP = 500;

export type SearchIndexCatchUp = {
  /** Starts catching up, unless it already runs or was stopped. */
  schedule(): void;
  /** No step after this one (the store is about to close). */
  stop(): void;
};

export function createSearchIndexCatchUp(
  db: SqliteDatabase,
  options: { readonly onError: (error: unknown) => void; readonly patientsPerStep?: number },
): SearchIndexCatchUp {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const step = () => {
    timer = undefined;
    if (stopped) return;
    let more: boolean;
    try {
      more = refreshPatientTermsStep(db, options.patientsPerStep ?? PATIENTS_PER_STEP);
    } catch (error) {
      // The next search rebuilds what is left; the next pull schedules again.
      options.onError(error);
      return;
    }
    if (more) schedule();
  };
  function schedule(): void {
    if (stopped || timer !== undefined) return;
    timer = setTimeout(step, 0);
    // A pending step never keeps a Node process alive.
    (timer as { unref?: () => void }).unref?.();
  }
  return {
    schedule,
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
