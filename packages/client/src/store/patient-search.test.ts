import type { Change, PullResponse } from '@clinicsync/protocol';
import { describe, expect, it } from 'vitest';
import { ORG, patientData, testStore } from '../../test/support/test-store.ts';
import { applyPullPage } from './apply-pull-page.ts';
import {
  findLikelyDuplicates,
  patientTermsStale,
  refreshPatientTerms,
  refreshPatientTermsStep,
  searchPatientIndex,
} from './patient-search.ts';
import { patientSearchTerms } from './search-terms.ts';
import { deleteRecord, insertRecord, updateRecord } from './write-record.ts';

const OTHER_ORG = '20000000-0000-4000-8000-000000000009';

function upsert(recordId: string, data: Record<string, unknown>): Change {
  return {
    table: 'patients',
    recordId,
    op: 'UPSERT',
    version: 1,
    organizationId: ORG,
    data: {
      ...patientData(),
      id: recordId,
      version: 1,
      updated_by: 'u1',
      updated_at: '2026-01-01T00:00:00.000Z',
      deleted: false,
      ...data,
    },
  };
}

function page(n: number, changes: Change[], hasMore: boolean): PullResponse {
  return { changes, cursor: `c${n}` as PullResponse['cursor'], hasMore, revokedOrganizations: [] };
}

const id = (n: number) => `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const familyNames = (rows: readonly Record<string, unknown>[]) => rows.map((r) => r.family_name);

/** Every term row of the index, as `term key`, and every per-patient row: what a full rebuild must reproduce. */
function indexContents(store: ReturnType<typeof testStore>) {
  return {
    patients: store.db
      .all('SELECT patient_id, organization_id, sort_key, terms FROM _patient_search ORDER BY patient_id')
      .map((r) => [r.patient_id, r.organization_id, r.sort_key, JSON.parse(String(r.terms)).sort()]),
    terms: store.db
      .all(
        'SELECT t.term, s.patient_id FROM _patient_search_terms t JOIN _patient_search s ON s.key = t.key ORDER BY 1, 2',
      )
      .map((r) => `${String(r.term)} ${String(r.patient_id)}`),
  };
}

describe('the patient search index', () => {
  it('is not built by a pull, and a search right after the sync still finds a patient of the last page', () => {
    const store = testStore();
    applyPullPage(store, page(1, [upsert(id(1), { family_name: 'Mensah' })], true));
    applyPullPage(store, page(2, [upsert(id(2), { family_name: 'Boateng' })], false));
    // The sync ended with the index behind; the first search catches it up before it looks.
    expect(patientTermsStale(store.db)).toBe(true);
    expect(familyNames(searchPatientIndex(store.db, ORG, 'boateng'))).toEqual(['Boateng']);
    expect(familyNames(searchPatientIndex(store.db, ORG, 'mensah'))).toEqual(['Mensah']);
    expect(patientTermsStale(store.db)).toBe(false);
  });

  it('lets a duplicate check right after a sync see a patient of the last page', () => {
    const store = testStore();
    applyPullPage(
      store,
      page(1, [upsert(id(1), { given_name: 'Kofi', family_name: 'Boateng', phone: '+251 911 234 567' })], false),
    );
    const found = findLikelyDuplicates(store.db, ORG, { given_name: 'Ama', family_name: 'Osei', phone: '0911234567' });
    expect(found.map((d) => [d.patient.id, d.reasons])).toEqual([[id(1), ['same_phone']]]);
  });

  it("forgets an edited patient's old name and phone, and a deleted patient", () => {
    const store = testStore();
    const row = insertRecord(store, 'patients', patientData({ family_name: 'Okafor', phone: '0803 555 0101' }));
    expect(familyNames(searchPatientIndex(store.db, ORG, 'okafor'))).toEqual(['Okafor']);
    updateRecord(store, 'patients', row.id, { family_name: 'Adeyemi', phone: '0911 765 432' });
    expect(searchPatientIndex(store.db, ORG, 'okafor')).toEqual([]);
    expect(searchPatientIndex(store.db, ORG, '08035550101')).toEqual([]);
    expect(findLikelyDuplicates(store.db, ORG, { phone: '0803 555 0101' })).toEqual([]);
    expect(familyNames(searchPatientIndex(store.db, ORG, 'adeyemi'))).toEqual(['Adeyemi']);
    expect(familyNames(searchPatientIndex(store.db, ORG, '0911765432'))).toEqual(['Adeyemi']);
    // Only the new name's terms are left for this patient.
    expect(indexContents(store).patients).toEqual([
      [row.id, ORG, `adeyemi\u0001amina\u0001${row.id}`, patientSearchTerms(readPatient(store, row.id)).sort()],
    ]);
    deleteRecord(store, 'patients', row.id);
    expect(searchPatientIndex(store.db, ORG, 'adeyemi')).toEqual([]);
    expect(indexContents(store)).toEqual({ patients: [], terms: [] });
  });

  it('built a step at a time holds exactly what one rebuild holds, and a search mid-way sees every patient', () => {
    const stepped = testStore();
    const whole = testStore();
    const families = ['Okafor', 'Mensah', "O'Brien-Nkemelu", 'Kebede', 'Alemu'];
    for (const store of [stepped, whole]) {
      for (let n = 1; n <= 23; n++)
        applyPullPage(
          store,
          page(n, [upsert(id(n), { family_name: families[n % families.length], phone: `+251 9${n}1234567` })], n < 23),
        );
    }
    expect(refreshPatientTermsStep(stepped.db, 5)).toBe(true);
    expect(stepped.db.get('SELECT count(*) AS n FROM _patient_search')?.n).toBe(5);
    // A change to a patient already indexed and one not reached yet, between steps.
    for (const store of [stepped, whole]) {
      updateRecord(store, 'patients', id(1), { family_name: 'Watson' });
      updateRecord(store, 'patients', id(20), { family_name: 'Nguyen' });
    }
    expect(refreshPatientTermsStep(stepped.db, 5)).toBe(true);
    expect(familyNames(searchPatientIndex(stepped.db, ORG, 'nguyen'))).toEqual(['Nguyen']);
    expect(searchPatientIndex(stepped.db, ORG, 'nkemelu')).toHaveLength(5);
    expect(searchPatientIndex(stepped.db, ORG, 'mensah')).toHaveLength(4);
    expect(patientTermsStale(stepped.db)).toBe(false);
    expect(refreshPatientTermsStep(stepped.db, 5)).toBe(false);
    refreshPatientTerms(whole.db);
    expect(indexContents(stepped)).toEqual(indexContents(whole));
  });

  it('keeps organizations apart and orders by family name, then given name', () => {
    const store = testStore();
    insertRecord(store, 'patients', patientData({ given_name: 'Kofi', family_name: 'Mensah' }));
    insertRecord(store, 'patients', patientData({ given_name: 'Ama', family_name: 'Mensah' }));
    insertRecord(store, 'patients', patientData({ given_name: 'Abebe', family_name: 'Alemu' }));
    insertRecord(
      store,
      'patients',
      patientData({ organization_id: OTHER_ORG, given_name: 'Ada', family_name: 'Mensah' }),
    );
    const hits = searchPatientIndex(store.db, ORG, 'a');
    expect(hits.map((p) => `${String(p.family_name)} ${String(p.given_name)}`)).toEqual(['Alemu Abebe', 'Mensah Ama']);
    expect(searchPatientIndex(store.db, ORG, 'mensah', 1).map((p) => p.given_name)).toEqual(['Ama']);
    expect(searchPatientIndex(store.db, OTHER_ORG, 'mensah').map((p) => p.given_name)).toEqual(['Ada']);
  });

  it('finds a name by its first letters when a later letter lies beyond U+FFFF', () => {
    const store = testStore();
    insertRecord(store, 'patients', patientData({ given_name: 'Wei', family_name: '李𠮷' }));
    expect(searchPatientIndex(store.db, ORG, '李𠮷').map((p) => p.family_name)).toEqual(['李𠮷']);
    expect(searchPatientIndex(store.db, ORG, '李').map((p) => p.family_name)).toEqual(['李𠮷']);
  });
});

function readPatient(store: ReturnType<typeof testStore>, patientId: string): Record<string, unknown> {
  return store.db.get('SELECT * FROM patients WHERE id = ?', [patientId]) ?? {};
}
