import {
  LEGACY_KIND_NAMES,
  LEGACY_UNIT_NAMES,
  legacyKindCode,
  VITAL_KINDS,
  isLegacyUnitFor,
  type VitalKind,
} from '@clinicsync/protocol';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/support/dialects.ts';
import { connectDatabase, type Database } from '../connect.ts';
import { migrate } from '../migrate.ts';
import { FROZEN_KIND_NAMES, FROZEN_UNITS, frozenVitalMapping } from './0007-schema-v3.ts';

const SYSTEM = {
  version: 1,
  updated_at: '2026-01-01T00:00:00.000Z',
  updated_by: 'u1',
  deleted: 0,
  field_versions: '{}',
};
const PATIENT_ID = '0b8a4c6e-1d2f-4a3b-8c5d-6e7f8a9b0c1d';
const ORG_ID = '7d4f5c1e-2f7b-4a55-9a0e-5a1f1b2c3d4e';
const LEGACY: [string, string, string, number][] = [
  ['3f0c2a9e-5b1d-4c7e-8a6f-1e2d3c4b5a01', 'Temp', '°C', 38.2],
  ['3f0c2a9e-5b1d-4c7e-8a6f-1e2d3c4b5a02', 'pulse', 'bpm', 72],
  ['3f0c2a9e-5b1d-4c7e-8a6f-1e2d3c4b5a03', 'BP', 'mmHg', 12080],
  ['3f0c2a9e-5b1d-4c7e-8a6f-1e2d3c4b5a04', 'Weight', 'lb', 150],
];

describeEachDialect('migration 0007-schema-v3', (dialect) => {
  let database: Database;
  beforeAll(async () => {
    database = connectDatabase({ url: await dialect.databaseUrl() });
    // A server database as schema version 2 left it.
    await migrate(database.db, database.caps, '0006-consent-and-limits');
    const db = database.db as Kysely<any>;
    await db
      .insertInto('patients')
      .values({ id: PATIENT_ID, ...SYSTEM, organization_id: ORG_ID, given_name: 'Amina', family_name: 'Okafor' })
      .execute();
    for (const [id, kind, unit, value] of LEGACY) {
      const row = { patient_id: PATIENT_ID, kind, unit, value, recorded_at: '2026-03-02T09:05:00Z' };
      await db
        .insertInto('vitals')
        .values({ id, ...SYSTEM, ...row })
        .execute();
      await db
        .insertInto('change_log')
        .values({
          organization_id: ORG_ID,
          seq: LEGACY.findIndex((l) => l[0] === id) + 1,
          table_name: 'vitals',
          record_id: id,
          version: 1,
          op: 'UPSERT',
          data: JSON.stringify(row),
        })
        .execute();
    }
    // Through this migration only: 0008 drops the change log's copy of the row that this one also maps.
    await migrate(database.db, database.caps, '0007-schema-v3');
  });
  afterAll(() => database.close());

  it('maps rows whose meaning is certain to their code, in the table and in the change log, and leaves the rest as typed', async () => {
    const db = database.db as Kysely<any>;
    const stored = await db
      .selectFrom('vitals')
      .select(['id', 'kind', 'unit', 'value', 'version', 'entered_in_error'])
      .orderBy('id')
      .execute();
    expect(stored.map((r) => [r.kind, r.unit, Number(r.value), Number(r.version), Number(r.entered_in_error)])).toEqual(
      [
        ['body_temperature', 'Cel', 38.2, 1, 0],
        ['heart_rate', '/min', 72, 1, 0],
        ['BP', 'mmHg', 12080, 1, 0],
        ['Weight', 'lb', 150, 1, 0],
      ],
    );
    const logged = await db.selectFrom('change_log').select(['record_id', 'data']).orderBy('record_id').execute();
    expect(logged.map((r) => JSON.parse(r.data).kind)).toEqual(['body_temperature', 'heart_rate', 'BP', 'Weight']);
  });

  it('refuses a second patient with the same clinic number in one organization at the SQL level', async () => {
    const db = database.db as Kysely<any>;
    const patient = (id: string, organization_id: string) => ({
      id,
      ...SYSTEM,
      organization_id,
      given_name: 'A',
      family_name: 'B',
      identifier: 'RC-1',
    });
    await db.insertInto('patients').values(patient('00000000-0000-4000-8000-000000000001', ORG_ID)).execute();
    await db
      .insertInto('patients')
      .values(patient('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-0000000000ff'))
      .execute();
    await expect(
      db.insertInto('patients').values(patient('00000000-0000-4000-8000-000000000003', ORG_ID)).execute(),
    ).rejects.toSatisfy((e) => database.caps.isUniqueViolation(e));
  });
});

describe('the frozen mapping of migration 0007', () => {
  it('agrees with the live mapping of legacy-vitals.ts for every name and unit it knows', () => {
    for (const [name, code] of Object.entries(FROZEN_KIND_NAMES)) expect(legacyKindCode(name), name).toBe(code);
    for (const [code, names] of Object.entries(LEGACY_KIND_NAMES) as [VitalKind, readonly string[]][]) {
      if (code === 'blood_pressure') continue;
      for (const name of names) expect(FROZEN_KIND_NAMES[name], name).toBe(code);
      const [unit, spellings] = FROZEN_UNITS[code]!;
      expect(unit).toBe(VITAL_KINDS[code].unit);
      expect([...spellings].sort()).toEqual([...LEGACY_UNIT_NAMES[unit]!].sort());
      for (const spelling of spellings) expect(isLegacyUnitFor(spelling, unit)).toBe(true);
    }
    expect(frozenVitalMapping('BP', 'mmHg')).toBeUndefined();
  });
});
