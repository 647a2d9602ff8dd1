/**
 * A cheaper patient search index (docs/patient-search.md "How it stays
 * fast"). Frozen: written out once.
 *
 * 0003's `_patient_terms` carried the organization, the patient's id and
 * the full sort key in every one of a patient's ~14 term rows, plus an
 * index by patient: building it after a first sync of 20,000 patients
 * took longer than the sync itself (bench/README.md). Now:
 *
 * - `_patient_search`: one row per indexed (live) patient: a small integer
 *   `key`, the organization, the sort key (folded family and given name,
 *   then the id) and the patient's terms as a JSON array, so the terms of a
 *   changed patient are found again to be deleted without an index by
 *   patient on the term table.
 * - `_patient_search_terms`: `(term, key)` only, keyed for prefix ranges.
 *
 * The triggers and `_patient_terms_stale` of 0003 stay as they are; every
 * patient already in the store is noted as stale, so the index is built
 * again (in the background after open, or before the first search).
 */
import type { SqliteDatabase } from '../sqlite-database.ts';

export function up(db: SqliteDatabase): void {
  db.exec(`
    DROP TABLE _patient_terms;
    CREATE TABLE _patient_search (
      key INTEGER PRIMARY KEY,
      patient_id TEXT NOT NULL UNIQUE,
      organization_id TEXT NOT NULL,
      sort_key TEXT NOT NULL,
      terms TEXT NOT NULL
    );
    CREATE TABLE _patient_search_terms (
      term TEXT NOT NULL,
      key INTEGER NOT NULL,
      PRIMARY KEY (term, key)
    ) WITHOUT ROWID;
    DELETE FROM _patient_terms_stale;
    INSERT INTO _patient_terms_stale (patient_id) SELECT id FROM patients;
  `);
}
