/**
 * The patient search index of the local store (docs/patient-search.md): per
 * live patient one row of `_patient_search` (a small integer key, the
 * organization, the sort key, its terms) and its normalized terms
 * (search-terms.ts) in `_patient_search_terms (term, key)`, looked up as
 * prefix ranges on that key, so a search over 20,000 patients is a few index
 * ranges instead of a scan (store migration 0005-patient-search-keys).
 *
 * Every way a patient row changes (a local write, a pull page, a bulk load,
 * a purge of a revoked organization, a resync sweep) goes through SQL, so
 * triggers on `patients` note the changed ids in `_patient_terms_stale`
 * (store migration 0003-patient-search), and the terms of those patients are
 * rebuilt before the next search or duplicate check, whole, and meanwhile in
 * the background a step at a time (search-index-catch-up.ts). No write path
 * has to remember the index, and no search sees it behind the patients.
 */
import { decodeRow, type Row } from './local-columns.ts';
import {
  foldText,
  type TermLookup,
  patientSearchTerms,
  phoneDigits,
  queryLookups,
  samePhoneTerms,
  wordParts,
} from './search-terms.ts';
import type { SqlValue, SqliteDatabase } from './sqlite-database.ts';

/** Patients written per INSERT: one multi-row statement costs far less than one per patient (4 parameters each). */
const PATIENTS_PER_STATEMENT = 200;

/** Rebuilds the terms of every patient changed since the last rebuild, in one transaction. */
export function refreshPatientTerms(db: SqliteDatabase): void {
  rebuildStale(db, undefined);
}

/**
 * Rebuilds the terms of at most `patients` of the changed patients (the
 * longest noted first), in one transaction; true while more are waiting.
 * The background catch-up's step: short transactions leave the store to the
 * app and the sync between them.
 */
export function refreshPatientTermsStep(db: SqliteDatabase, patients: number): boolean {
  return rebuildStale(db, Math.max(1, Math.floor(patients)));
}

/** True when some patient changed since its terms were built. */
export function patientTermsStale(db: SqliteDatabase): boolean {
  return db.get('SELECT 1 AS found FROM _patient_terms_stale LIMIT 1') !== undefined;
}

function rebuildStale(db: SqliteDatabase, limit: number | undefined): boolean {
  if (!patientTermsStale(db)) return false;
  return db.transaction(() => {
    // The noted ids up to one rowid are this step's; an id noted again later is rebuilt again then, which is harmless.
    const last = Number(
      (limit === undefined
        ? db.get('SELECT max(rowid) AS last FROM _patient_terms_stale')
        : db.get('SELECT max(r) AS last FROM (SELECT rowid AS r FROM _patient_terms_stale ORDER BY rowid LIMIT ?)', [
            limit,
          ])
      )?.last ?? 0,
    );
    const chosen = 'SELECT patient_id FROM _patient_terms_stale WHERE rowid <= ?';
    // The old terms are the ones stored with the patient's row: each is deleted by its own key.
    db.run(
      `DELETE FROM _patient_search_terms WHERE (term, key) IN (
         SELECT t.value, s.key FROM _patient_search s, json_each(s.terms) t WHERE s.patient_id IN (${chosen}))`,
      [last],
    );
    db.run(`DELETE FROM _patient_search WHERE patient_id IN (${chosen})`, [last]);
    const keysBelow = Number(db.get('SELECT coalesce(max(key), 0) AS k FROM _patient_search')?.k ?? 0);
    const rows = db.all(
      `SELECT id, organization_id, given_name, family_name, identifier, phone FROM patients
        WHERE id IN (${chosen}) AND deleted = 0`,
      [last],
    );
    let pending: SqlValue[] = [];
    const flush = () => {
      if (pending.length === 0) return;
      const tuples = Array.from({ length: pending.length / 4 }, () => '(?, ?, ?, ?)').join(', ');
      db.run(`INSERT INTO _patient_search (patient_id, organization_id, sort_key, terms) VALUES ${tuples}`, pending);
      pending = [];
    };
    for (const row of rows) {
      if (typeof row.organization_id !== 'string') continue;
      const id = String(row.id);
      const sortKey = `${foldText(String(row.family_name ?? ''))}\u0001${foldText(String(row.given_name ?? ''))}\u0001${id}`;
      pending.push(id, row.organization_id, sortKey, JSON.stringify(patientSearchTerms(row)));
      if (pending.length >= PATIENTS_PER_STATEMENT * 4) flush();
    }
    flush();
    // The new rows' keys are above every key left; SQLite spreads their terms in one statement.
    db.run(
      'INSERT INTO _patient_search_terms (term, key) SELECT t.value, s.key FROM _patient_search s, json_each(s.terms) t WHERE s.key > ?',
      [keysBelow],
    );
    db.run('DELETE FROM _patient_terms_stale WHERE rowid <= ?', [last]);
    return patientTermsStale(db);
  });
}

/**
 * Patients of one organization matching `text` (docs/patient-search.md): by
 * clinic number, by any word or part of a word of their names, by phone
 * digits however grouped, with or without country code or trunk 0. Sorted by
 * family then given name; at most `limit` (default 50). An empty query finds
 * nobody.
 */
export function searchPatientIndex(db: SqliteDatabase, organizationId: string, text: string, limit = 50): Row[] {
  const lookups = queryLookups(text);
  if (lookups.length === 0) return [];
  refreshPatientTerms(db);
  // Hits are found, ordered and cut in the index alone; only the patients shown are read.
  // Each alternative is its own range on the primary key (an OR of ranges would make SQLite scan the table).
  const match = (lookup: TermLookup): { sql: string; params: SqlValue[] } => {
    const branches: string[] = [];
    const params: SqlValue[] = [];
    for (const prefix of lookup.prefixes) {
      branches.push('SELECT key FROM _patient_search_terms WHERE term >= ? AND term < ?');
      // The highest code point: SQLite compares UTF-8 bytes, where a character beyond U+FFFF sorts above U+FFFF.
      params.push(prefix, `${prefix}\u{10FFFF}`);
    }
    if (lookup.exact.length > 0) {
      branches.push(`SELECT key FROM _patient_search_terms WHERE term IN (${lookup.exact.map(() => '?').join(', ')})`);
      params.push(...lookup.exact);
    }
    return { sql: branches.join(' UNION ALL '), params };
  };
  const params: SqlValue[] = [];
  const filters = lookups.map(match).map((each) => {
    params.push(...each.params);
    return `AND s.key IN (${each.sql})`;
  });
  params.push(organizationId, Math.max(0, Math.floor(Number.isFinite(limit) ? limit : 50)));
  return db
    .all(
      `WITH hits AS (SELECT s.sort_key, s.patient_id FROM _patient_search s WHERE 1 ${filters.join(' ')}
         AND s.organization_id = ? ORDER BY s.sort_key LIMIT ?)
       SELECT p.* FROM hits JOIN patients p ON p.id = hits.patient_id WHERE p.deleted = 0 ORDER BY hits.sort_key`,
      params,
    )
    .map((stored) => decodeRow('patients', stored));
}

/** Who a new or edited patient may already be. */
export type DuplicateCandidate = {
  readonly given_name?: string | null;
  readonly family_name?: string | null;
  readonly birth_date?: string | null;
  readonly phone?: string | null;
};

/** A patient of the store who is likely the same person, and why. */
export type LikelyDuplicate = {
  readonly patient: Row;
  readonly reasons: readonly ('same_name_and_birth_date' | 'same_phone')[];
};

/**
 * Patients of the organization who are likely the same person as
 * `candidate` (docs/patient-search.md): the same given and family names
 * (without case, accents or separators) and the same birth date, or the
 * same phone number however written. `excludeId` leaves out the patient
 * being edited.
 */
export function findLikelyDuplicates(
  db: SqliteDatabase,
  organizationId: string,
  candidate: DuplicateCandidate,
  excludeId?: string,
): LikelyDuplicate[] {
  refreshPatientTerms(db);
  const found = new Map<string, { patient: Row; reasons: Set<'same_name_and_birth_date' | 'same_phone'> }>();
  const note = (stored: Record<string, unknown>, reason: 'same_name_and_birth_date' | 'same_phone') => {
    const patient = decodeRow('patients', stored as never);
    if (patient.id === excludeId) return;
    const entry = found.get(patient.id) ?? { patient, reasons: new Set() };
    entry.reasons.add(reason);
    found.set(patient.id, entry);
  };
  const folded = (value: unknown) => (typeof value === 'string' ? wordParts(value).join('') : '');
  if (candidate.birth_date && folded(candidate.given_name) && folded(candidate.family_name)) {
    for (const stored of db.all('SELECT * FROM patients WHERE organization_id = ? AND deleted = 0 AND birth_date = ?', [
      organizationId,
      candidate.birth_date,
    ])) {
      if (
        folded(stored.given_name) === folded(candidate.given_name) &&
        folded(stored.family_name) === folded(candidate.family_name)
      )
        note(stored, 'same_name_and_birth_date');
    }
  }
  const phoneTerms = candidate.phone ? samePhoneTerms(candidate.phone) : [];
  if (phoneTerms.length > 0 && phoneDigits(candidate.phone ?? '')) {
    const rows = db.all(
      `SELECT * FROM patients WHERE organization_id = ? AND deleted = 0 AND id IN (
         SELECT patient_id FROM _patient_search WHERE organization_id = ? AND key IN (
           SELECT key FROM _patient_search_terms WHERE term IN (${phoneTerms.map(() => '?').join(', ')})))`,
      [organizationId, organizationId, ...phoneTerms],
    );
    for (const stored of rows) note(stored, 'same_phone');
  }
  return [...found.values()].map(({ patient, reasons }) => ({ patient, reasons: [...reasons] }));
}
