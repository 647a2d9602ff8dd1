/**
 * The patient search index of the local store (docs/patient-search.md): a
 * table of normalized terms (search-terms.ts) per patient, looked up as
 * prefix ranges on its primary key, so a search over 20,000 patients is a few
 * index ranges instead of a scan.
 *
 * Every way a patient row changes (a local write, a pull page, a bulk load,
 * a purge of a revoked organization, a resync sweep) goes through SQL, so
 * triggers on `patients` note the changed ids in `_patient_terms_stale`
 * (store migration 0003-patient-search), and the terms of those patients are
 * rebuilt before the next search (and at the end of every pull). No write
 * path has to remember the index.
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

/** Terms written per statement: one multi-row INSERT costs far less than one per term (4 parameters each). */
const TERMS_PER_STATEMENT = 200;

/** Rebuilds the terms of every patient changed since the last rebuild, in one transaction. */
export function refreshPatientTerms(db: SqliteDatabase): void {
  const stale = db.get('SELECT 1 AS found FROM _patient_terms_stale LIMIT 1');
  if (!stale) return;
  db.transaction(() => {
    db.run('DELETE FROM _patient_terms WHERE patient_id IN (SELECT patient_id FROM _patient_terms_stale)');
    const rows = db.all(
      `SELECT p.* FROM (SELECT DISTINCT patient_id FROM _patient_terms_stale) s JOIN patients p ON p.id = s.patient_id WHERE p.deleted = 0`,
    );
    let pending: SqlValue[] = [];
    const flush = () => {
      if (pending.length === 0) return;
      const tuples = Array.from({ length: pending.length / 4 }, () => '(?, ?, ?, ?)').join(', ');
      db.run(
        `INSERT OR IGNORE INTO _patient_terms (organization_id, term, patient_id, sort_key) VALUES ${tuples}`,
        pending,
      );
      pending = [];
    };
    for (const row of rows) {
      if (typeof row.organization_id !== 'string') continue;
      const id = String(row.id);
      const sortKey = `${foldText(String(row.family_name ?? ''))}\u0001${foldText(String(row.given_name ?? ''))}\u0001${id}`;
      for (const term of patientSearchTerms(row)) {
        pending.push(row.organization_id, term, id, sortKey);
        if (pending.length >= TERMS_PER_STATEMENT * 4) flush();
      }
    }
    flush();
    db.run('DELETE FROM _patient_terms_stale');
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
  // Hits are found, ordered and cut in the term index alone; only the patients shown are read.
  // Each alternative is its own range on the primary key (an OR of ranges would make SQLite scan the table).
  const match = (lookup: TermLookup): { sql: string; params: SqlValue[] } => {
    const branches: string[] = [];
    const params: SqlValue[] = [];
    for (const prefix of lookup.prefixes) {
      branches.push(
        'SELECT patient_id, sort_key FROM _patient_terms WHERE organization_id = ? AND term >= ? AND term < ?',
      );
      params.push(organizationId, prefix, `${prefix}\uffff`);
    }
    if (lookup.exact.length > 0) {
      branches.push(
        `SELECT patient_id, sort_key FROM _patient_terms WHERE organization_id = ? AND term IN (${lookup.exact.map(() => '?').join(', ')})`,
      );
      params.push(organizationId, ...lookup.exact);
    }
    return { sql: branches.join(' UNION ALL '), params };
  };
  const [first, ...rest] = lookups.map(match);
  const params: SqlValue[] = [...first!.params];
  const filters = rest.map((other) => {
    params.push(...other.params);
    return `AND patient_id IN (SELECT patient_id FROM (${other.sql}))`;
  });
  params.push(Math.max(0, Math.floor(Number.isFinite(limit) ? limit : 50)));
  return db
    .all(
      `WITH hits AS (SELECT DISTINCT sort_key, patient_id FROM (${first!.sql}) WHERE 1 ${filters.join(' ')} ORDER BY sort_key LIMIT ?)
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
         SELECT patient_id FROM _patient_terms WHERE organization_id = ? AND term IN (${phoneTerms.map(() => '?').join(', ')}))`,
      [organizationId, organizationId, ...phoneTerms],
    );
    for (const stored of rows) note(stored, 'same_phone');
  }
  return [...found.values()].map(({ patient, reasons }) => ({ patient, reasons: [...reasons] }));
}
