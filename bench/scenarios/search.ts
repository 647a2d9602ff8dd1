/**
 * Patient search on a large clinic (docs/patient-search.md): a real client
 * store (better-sqlite3 on a file, its migrations) holding `count` patients
 * of one organization, registered through the store's write path (so every
 * one has a clinic number and its search terms), then searched through the
 * same function the engine's `searchPatients` calls: by clinic number, by a
 * part of a hyphenated name, by a phone written three ways, by two words.
 * Reports the time per search and the one-off cost of indexing.
 */
import { join } from 'node:path';
import { fakeClock, sequentialIds } from '../../packages/client/src/deps.ts';
import { openBetterSqlite3 } from '../../packages/client/src/store/better-sqlite3-database.ts';
import { migrateLocalStore } from '../../packages/client/src/store/local-schema.ts';
import { refreshPatientTerms, searchPatientIndex } from '../../packages/client/src/store/patient-search.ts';
import type { StoreContext } from '../../packages/client/src/store/store-context.ts';
import { insertRecord } from '../../packages/client/src/store/write-record.ts';
import { percentiles, timed, type Stats } from '../lib/measure.ts';
import { benchTempDir } from '../lib/temp.ts';

export type SearchFigures = {
  readonly patients: number;
  readonly search: Stats;
  readonly indexMs: number;
  readonly registerMs: number;
};

const FAMILY = [
  'Okafor',
  "O'Brien-Nkemelu",
  'Kebede',
  'Mensah',
  'Boateng',
  'Alemu',
  'Watson',
  'Nguyen',
  'Haile-Mariam',
  'Osei',
];
const GIVEN = ['Amina', 'Kofi', 'Abebe', 'Tigist', 'Ama', 'Siobhán', 'Mary', 'Linh', 'Yaw', 'Selam'];

/** Registers `count` patients, then runs `rounds` rounds of the query mix. */
export async function measurePatientSearch(count: number, rounds: number): Promise<SearchFigures> {
  const db = openBetterSqlite3(join(benchTempDir('store'), 'search.sqlite'));
  migrateLocalStore(db);
  const ctx: StoreContext = { db, clock: fakeClock('2026-01-01T00:00:00Z'), ids: sequentialIds(7) };
  const organizationId = '3f0d8a4e-5b7c-4d2e-9f1a-0b1c2d3e4f51';
  const identifiers: string[] = [];
  const register = await timed(() =>
    db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const row = insertRecord(ctx, 'patients', {
          organization_id: organizationId,
          given_name: `${GIVEN[i % GIVEN.length]} ${GIVEN[(i * 3) % GIVEN.length]}`,
          family_name: `${FAMILY[(i * 7) % FAMILY.length]}${i % 97 === 0 ? '' : `-${i}`}`,
          phone: `+251 9${String(i)
            .padStart(8, '0')
            .replace(/(\d{2})(\d{3})(\d{3})/, '$1 $2 $3')}`,
        });
        identifiers.push(String(row.identifier));
      }
    }),
  );
  const index = await timed(() => refreshPatientTerms(db));
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const n = (round * 7919) % count;
    const digits = `9${String(n).padStart(8, '0')}`;
    const queries = [
      identifiers[n]!,
      'Nkemelu',
      `+251 ${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`,
      `0${digits}`,
      digits.slice(0, 5),
      'siob okafor',
    ];
    for (const query of queries) {
      const started = performance.now();
      searchPatientIndex(db, organizationId, query, 50);
      samples.push(performance.now() - started);
    }
  }
  db.close();
  return { patients: count, search: percentiles(samples), indexMs: index.ms, registerMs: register.ms };
}
