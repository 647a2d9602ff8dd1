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

/**
 * Patients per step. Each commit writes again every term page the step
 * touched, and a step's terms land all over the term index, so small steps
 * cost much more in all (50,000 patients on the loaded 2-core benchmark
 * machine: 8.2 s in steps of 500, 3.7 s in steps of 2,000, 2.1 s at once;
 * bench/README.md); 2,000 keeps a step to about a quarter of a second there.
 */
export const PATIENTS_PER_STEP = 2000;

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
