import { describe, expect, it } from 'vitest';
import { LocalValidationError } from '../errors.ts';
import type { Row } from './local-columns.ts';
import { ORG, patientData, testStore } from '../../test/support/test-store.ts';
import { getRecord, listRecords, searchPatients } from './read-records.ts';
import { deleteRecord, insertRecord } from './write-record.ts';

describe('reads', () => {
  it('hide deleted rows', () => {
    const store = testStore();
    const row = insertRecord(store, 'patients', patientData());
    deleteRecord(store, 'patients', row.id);
    expect(getRecord(store.db, 'patients', row.id)).toBeUndefined();
    expect(listRecords(store.db, 'patients')).toEqual([]);
  });

  it('filter, sort and page by registry columns only', () => {
    const store = testStore();
    for (const name of ['Cy', 'Al', 'Bo'])
      insertRecord(store, 'patients', patientData({ given_name: name, sex: 'female' }));
    insertRecord(store, 'patients', patientData({ given_name: 'Di', sex: 'male' }));
    const names = (rows: readonly Row[]) => rows.map((r) => r.given_name);
    expect(names(listRecords(store.db, 'patients', { where: { sex: 'female' }, orderBy: 'given_name' }))).toEqual([
      'Al',
      'Bo',
      'Cy',
    ]);
    expect(
      names(
        listRecords(store.db, 'patients', {
          where: { sex: 'female' },
          orderBy: 'given_name',
          desc: true,
          limit: 1,
          offset: 1,
        }),
      ),
    ).toEqual(['Bo']);
    expect(() => listRecords(store.db, 'patients', { where: { 'x; DROP TABLE patients': 1 } })).toThrow(
      LocalValidationError,
    );
    expect(() => listRecords(store.db, 'patients', { orderBy: '_organization_id' })).toThrow(LocalValidationError);
  });

  it('search patients by name or phone prefix, case-insensitive, within one organization', () => {
    const store = testStore();
    insertRecord(store, 'patients', patientData({ given_name: 'Amina', family_name: 'Okafor', phone: '+254 700' }));
    insertRecord(store, 'patients', patientData({ given_name: 'Brian', family_name: 'Otieno' }));
    insertRecord(
      store,
      'patients',
      patientData({
        organization_id: '30000000-0000-4000-8000-000000000003',
        given_name: 'Amina',
        family_name: 'Other',
      }),
    );
    const found = (text: string) => searchPatients(store.db, ORG, text).map((r) => r.family_name);
    expect(found('ami')).toEqual(['Okafor']);
    expect(found('O')).toEqual(['Okafor', 'Otieno']);
    expect(found('amina oka')).toEqual(['Okafor']);
    expect(found('+254')).toEqual(['Okafor']);
    expect(found('zzz')).toEqual([]);
  });

  it('search uses the name indexes', () => {
    const store = testStore();
    const plan = store.db
      .all(
        'EXPLAIN QUERY PLAN SELECT * FROM patients WHERE organization_id = ? AND deleted = 0 AND ((lower(family_name) >= ? AND lower(family_name) < ?) OR (lower(given_name) >= ? AND lower(given_name) < ?) OR (phone >= ? AND phone < ?))',
        [ORG, 'a', 'b', 'a', 'b', 'a', 'b'],
      )
      .map((r) => String(r.detail))
      .join('\n');
    expect(plan).toMatch(/INDEX patients_(family|given)_search_idx/);
  });
});
