/**
 * Patient identity through the engine's public API (docs/patient-search.md,
 * docs/clinic-numbers.md): search by clinic number, name parts and phone
 * however written, fast on 20,000 patients; likely duplicates before saving;
 * clinic numbers assigned offline; the clinical rules refused before
 * anything is queued.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LocalValidationError, openSyncEngine, type Row, type SyncEngine } from '../src/index.ts';

const ORG = '7d4f5c1e-2f7b-4a55-9a0e-5a1f1b2c3d4e';
const OTHER_ORG = '0b8a4c6e-1d2f-4a3b-8c5d-6e7f8a9b0c1d';
const engines: SyncEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

async function offlineEngine(): Promise<SyncEngine> {
  // Never signed in: everything here happens in the local store.
  const engine = await openSyncEngine({
    dbPath: ':memory:',
    serverUrl: 'http://sync.invalid',
    getSyncToken: () => null,
    intervalMs: 3_600_000,
  });
  engines.push(engine);
  return engine;
}

const names = (rows: readonly Row[]) => rows.map((r) => `${String(r.given_name)} ${String(r.family_name)}`);

describe('patient search through the engine', () => {
  it('finds by any word or word part after a separator, without case or accents', async () => {
    const engine = await offlineEngine();
    engine.insert('patients', { organization_id: ORG, given_name: 'Siobhán', family_name: "O'Brien-Nkemelu" });
    engine.insert('patients', { organization_id: ORG, given_name: 'Mary Jane', family_name: 'Watson' });
    engine.insert('patients', { organization_id: OTHER_ORG, given_name: 'Ada', family_name: 'Nkemelu' });
    for (const query of ['Nkemelu', 'nkem', "O'Brien", 'brien', 'obrien', 'siobhan', 'SIOBHÁN nkemelu']) {
      expect(names(engine.searchPatients(ORG, query)), query).toEqual(["Siobhán O'Brien-Nkemelu"]);
    }
    expect(names(engine.searchPatients(ORG, 'jane'))).toEqual(['Mary Jane Watson']);
    expect(engine.searchPatients(ORG, 'nkemelu watson')).toEqual([]);
    expect(engine.searchPatients(ORG, 'emelu')).toEqual([]);
    expect(engine.searchPatients(ORG, '   ')).toEqual([]);
  });

  it('finds by phone digits however grouped, with or without country code or leading 0', async () => {
    const engine = await offlineEngine();
    engine.insert('patients', {
      organization_id: ORG,
      given_name: 'Abebe',
      family_name: 'Kebede',
      phone: '+251 911 234 567',
    });
    engine.insert('patients', {
      organization_id: ORG,
      given_name: 'Tigist',
      family_name: 'Alemu',
      phone: '0911 765 432',
    });
    for (const query of [
      '+251 911 234 567',
      '0911234567',
      '911 234 567',
      '251911234567',
      '+251-911-234-567',
      '0911 23',
      '(0911) 234567',
    ]) {
      expect(names(engine.searchPatients(ORG, query)), query).toEqual(['Abebe Kebede']);
    }
    for (const query of ['+251 911 765 432', '911765432', '0911765432']) {
      expect(names(engine.searchPatients(ORG, query)), query).toEqual(['Tigist Alemu']);
    }
    expect(names(engine.searchPatients(ORG, '0911'))).toEqual(['Tigist Alemu', 'Abebe Kebede']);
  });

  it('gives every new patient a clinic number, unique on the device, and finds the patient by it', async () => {
    const engine = await offlineEngine();
    const first = engine.insert('patients', { organization_id: ORG, given_name: 'Amina', family_name: 'Okafor' });
    const second = engine.insert('patients', { organization_id: ORG, given_name: 'Kofi', family_name: 'Boateng' });
    expect(first.identifier).toMatch(/^[0-9A-HJKMNP-TV-Z]{6}-0001$/);
    expect(second.identifier).toBe(String(first.identifier).replace(/0001$/, '0002'));
    expect(names(engine.searchPatients(ORG, String(second.identifier)))).toEqual(['Kofi Boateng']);
    expect(names(engine.searchPatients(ORG, String(second.identifier).toLowerCase()))).toEqual(['Kofi Boateng']);
    // A number given by the caller (a clinic's own paper number) is kept.
    expect(
      engine.insert('patients', {
        organization_id: ORG,
        given_name: 'Ama',
        family_name: 'Mensah',
        identifier: 'PAPER-17',
      }).identifier,
    ).toBe('PAPER-17');
    expect(names(engine.searchPatients(ORG, 'paper-17'))).toEqual(['Ama Mensah']);
  });

  it('follows edits and deletes', async () => {
    const engine = await offlineEngine();
    const row = engine.insert('patients', { organization_id: ORG, given_name: 'Amina', family_name: 'Okafor' });
    engine.update('patients', row.id, { family_name: 'Okafor-Adeyemi', phone: '0803 555 0101' });
    expect(names(engine.searchPatients(ORG, 'adeyemi'))).toEqual(['Amina Okafor-Adeyemi']);
    expect(names(engine.searchPatients(ORG, '08035550101'))).toEqual(['Amina Okafor-Adeyemi']);
    engine.delete('patients', row.id);
    expect(engine.searchPatients(ORG, 'adeyemi')).toEqual([]);
  });
});

describe('likely duplicates before saving', () => {
  it('finds the same names and birth date, or the same phone however written', async () => {
    const engine = await offlineEngine();
    const amina = engine.insert('patients', {
      organization_id: ORG,
      given_name: 'Amina',
      family_name: 'Okafor',
      birth_date: '1990-02-28',
      phone: '+251 911 234 567',
    });
    const found = (candidate: Record<string, unknown>, excludeId?: string) =>
      engine.findLikelyDuplicates(ORG, candidate, excludeId).map((d) => [d.patient.id, [...d.reasons].sort()]);
    expect(found({ given_name: ' amina ', family_name: 'OKAFOR', birth_date: '1990-02-28' })).toEqual([
      [amina.id, ['same_name_and_birth_date']],
    ]);
    expect(found({ given_name: 'Kofi', family_name: 'Boateng', phone: '0911234567' })).toEqual([
      [amina.id, ['same_phone']],
    ]);
    expect(
      found({ given_name: 'Amina', family_name: 'Okafor', birth_date: '1990-02-28', phone: '911 234 567' }),
    ).toEqual([[amina.id, ['same_name_and_birth_date', 'same_phone']]]);
    expect(found({ given_name: 'Amina', family_name: 'Okafor', birth_date: '1991-02-28' })).toEqual([]);
    expect(found({ given_name: 'Amina', family_name: 'Okafor', birth_date: '1990-02-28' }, amina.id)).toEqual([]);
    expect(engine.findLikelyDuplicates(OTHER_ORG, { phone: '0911234567' })).toEqual([]);
  });
});

describe('clinical rules before anything is queued', () => {
  it('refuses a vital outside its hard range or in another unit at the field, and a birth date before 1900', async () => {
    const engine = await offlineEngine();
    const patient = engine.insert('patients', { organization_id: ORG, given_name: 'Amina', family_name: 'Okafor' });
    const vital = (data: Record<string, unknown>) => () =>
      engine.insert('vitals', { patient_id: patient.id, recorded_at: '2026-01-01T00:00:00Z', ...data });
    const issues = (write: () => unknown) => {
      try {
        write();
      } catch (error) {
        if (error instanceof LocalValidationError) return error.issues.map((i) => `${i.path}:${i.code}`);
        throw error;
      }
      return [];
    };
    expect(issues(vital({ kind: 'body_temperature', unit: 'Cel', value: 382 }))).toEqual(['value:out_of_range']);
    expect(issues(vital({ kind: 'blood_pressure', unit: 'mm[Hg]', value: 120 }))).toEqual(['value2:required']);
    expect(issues(vital({ kind: 'body_temperature', unit: 'kg', value: 37 }))).toEqual(['unit:wrong_unit']);
    expect(issues(vital({ kind: 'blood_pressure', unit: 'mm[Hg]', value: 120, value2: 80 }))).toEqual([]);
    expect(
      issues(() =>
        engine.insert('patients', {
          organization_id: ORG,
          given_name: 'A',
          family_name: 'B',
          birth_date: '1899-12-31',
        }),
      ),
    ).toEqual(['birth_date:too_early']);
    expect(engine.status().pending).toBe(2);
  });
});
