/**
 * The patient search index (docs/patient-search.md). Frozen: written out once.
 *
 * - `_patient_terms`: the normalized search terms of each live patient
 *   (search-terms.ts), keyed for prefix ranges per organization; `sort_key`
 *   (folded family and given name, then the id) lets a search order and cut
 *   its hits before it reads a single patient row.
 * - `_patient_terms_stale`: patients changed since their terms were built,
 *   noted by triggers on `patients`, so every way a row changes (local write,
 *   pull page, bulk load, purge, resync sweep) reaches the index without any
 *   write path having to remember it. No unique key: an upsert's conflict
 *   handling would override a trigger's OR IGNORE; duplicates are harmless.
 * - Patients already in the store are noted as stale, so the first search
 *   (or the end of the next pull) indexes them.
 */
import type { SqliteDatabase } from '../sqlite-database.ts';

export function up(db: SqliteDatabase): void {
  db.exec(`
    CREATE TABLE _patient_terms (
      organization_id TEXT NOT NULL,
      term TEXT NOT NULL,
      patient_id TEXT NOT NULL,
      sort_key TEXT NOT NULL,
      PRIMARY KEY (organization_id, term, patient_id)
    ) WITHOUT ROWID;
    CREATE INDEX _patient_terms_patient_idx ON _patient_terms (patient_id);
    CREATE TABLE _patient_terms_stale (patient_id TEXT NOT NULL);
    CREATE TRIGGER _patients_terms_insert AFTER INSERT ON patients BEGIN
      INSERT INTO _patient_terms_stale (patient_id) VALUES (new.id);
    END;
    CREATE TRIGGER _patients_terms_update AFTER UPDATE ON patients BEGIN
      INSERT INTO _patient_terms_stale (patient_id) VALUES (new.id);
    END;
    CREATE TRIGGER _patients_terms_delete AFTER DELETE ON patients BEGIN
      INSERT INTO _patient_terms_stale (patient_id) VALUES (old.id);
    END;
    INSERT INTO _patient_terms_stale (patient_id) SELECT id FROM patients;
  `);
}
