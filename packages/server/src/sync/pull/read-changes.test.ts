import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/support/dialects.ts';
import { testDeps, type TestDeps } from '../../../test/support/test-deps.ts';
import type { CursorPosition } from './cursor.ts';
import { approximateBytes, readChanges } from './read-changes.ts';
import { findPositionBeyondLog } from './read-log-ends.ts';

const ORG_A = 'aaaaaaaa-0000-4000-8000-000000000000';
const ORG_B = 'bbbbbbbb-0000-4000-8000-000000000000';
const ORG_C = 'cccccccc-0000-4000-8000-000000000000';
const ORG_D = 'dddddddd-0000-4000-8000-000000000000';

function at(organizationId: string, seq: number): CursorPosition {
  return { organizationId, membershipId: 'm', seq };
}

/**
 * D: a log longer than two of readChanges' 500-row chunks, patients and teams interleaved, every 7th seq
 * renumbered away and every 5th a tombstone. Each record's name is its id, so a row served with another
 * record's data shows.
 */
const LONG_LOG = 1203;
const longLog = Array.from({ length: LONG_LOG }, (_, i) => i + 1)
  .filter((seq) => seq % 7 !== 0)
  .map((seq) => ({
    seq,
    table: seq % 2 === 0 ? ('teams' as const) : ('patients' as const),
    id: `d-${seq}`,
    deleted: seq % 5 === 0,
  }));

async function seedLongLog(deps: TestDeps): Promise<void> {
  const system = (r: (typeof longLog)[number]) => ({
    id: r.id,
    version: 1,
    updated_at: 'now',
    updated_by: 'u',
    deleted: r.deleted ? 1 : 0,
    field_versions: '{}',
    organization_id: ORG_D,
  });
  for (let start = 0; start < longLog.length; start += 200) {
    const slice = longLog.slice(start, start + 200);
    await deps.db
      .insertInto('change_log')
      .values(
        slice.map((r) => ({
          organization_id: ORG_D,
          seq: r.seq,
          table_name: r.table,
          record_id: r.id,
          version: 1,
          op: r.deleted ? ('DELETE' as const) : ('UPSERT' as const),
        })),
      )
      .execute();
    const patients = slice.filter((r) => r.table === 'patients');
    if (patients.length > 0)
      await deps.db
        .insertInto('patients')
        .values(patients.map((r) => ({ ...system(r), given_name: r.id })))
        .execute();
    const teams = slice.filter((r) => r.table === 'teams');
    if (teams.length > 0)
      await deps.db
        .insertInto('teams')
        .values(teams.map((r) => ({ ...system(r), name: r.id })))
        .execute();
  }
}

describeEachDialect('readChanges', (dialect) => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await testDeps({ url: await dialect.databaseUrl() });
    // A: seqs 1..5, B: seqs 1..3 (seq 2 is a tombstone), C: nothing. Seq 3 of A was renumbered away (record changed again as seq 5).
    const rows = [
      ...[1, 2, 4, 5].map((seq) => ({ organization_id: ORG_A, seq, record_id: `a-${seq}` })),
      ...[1, 2, 3].map((seq) => ({ organization_id: ORG_B, seq, record_id: `b-${seq}` })),
    ];
    await deps.db
      .insertInto('change_log')
      .values(
        rows.map((r) => ({
          ...r,
          table_name: 'patients',
          version: 1,
          op: r.record_id === 'b-2' ? ('DELETE' as const) : ('UPSERT' as const),
        })),
      )
      .execute();
    // The log names records; their state is read from the table.
    await deps.db
      .insertInto('patients')
      .values(
        rows.map((r) => ({
          id: r.record_id,
          version: 1,
          updated_at: 'now',
          updated_by: 'u',
          deleted: r.record_id === 'b-2' ? 1 : 0,
          field_versions: '{}',
          organization_id: r.organization_id,
          given_name: r.record_id,
        })),
      )
      .execute();
    await deps.db
      .insertInto('org_seq')
      .values([
        { organization_id: ORG_A, last_seq: 5 },
        { organization_id: ORG_B, last_seq: 3 },
        { organization_id: ORG_D, last_seq: LONG_LOG },
      ])
      .execute();
    await seedLongLog(deps);
  });
  afterAll(() => deps.database.close());

  const ids = (rows: readonly { organizationId: string; seq: number }[]) =>
    rows.map((r) => `${r.organizationId[0]}${r.seq}`);

  it('returns rows after each position, organization by organization, in seq order', async () => {
    const page = await readChanges(deps.db, { positions: [at(ORG_A, 0), at(ORG_B, 1), at(ORG_C, 0)], limit: 100 });
    expect(ids(page.rows)).toEqual(['a1', 'a2', 'a4', 'a5', 'b2', 'b3']);
    expect(page.hasMore).toBe(false);
  });

  it('keeps tombstones as DELETE rows without data', async () => {
    const page = await readChanges(deps.db, { positions: [at(ORG_B, 1)], limit: 1 });
    expect(page.rows).toEqual([
      { organizationId: ORG_B, seq: 2, table: 'patients', recordId: 'b-2', version: 1, op: 'DELETE', data: null },
    ]);
  });

  it('ends a page once its data passes the byte budget, and the next page goes on from there', async () => {
    // Every row's data is the same size: a budget of one and a half rows takes two.
    const one = (await readChanges(deps.db, { positions: [at(ORG_A, 0)], limit: 1 })).rows[0]!.data!;
    const budget = Math.round(1.5 * approximateBytes(one));
    const first = await readChanges(deps.db, { positions: [at(ORG_A, 0), at(ORG_B, 0)], limit: 100, maxBytes: budget });
    expect(ids(first.rows)).toEqual(['a1', 'a2']);
    expect(first.hasMore).toBe(true);
    const rest = await readChanges(deps.db, { positions: [at(ORG_A, 2), at(ORG_B, 0)], limit: 100, maxBytes: budget });
    expect(ids(rest.rows)).toEqual(['a4', 'a5']);
    expect(rest.hasMore).toBe(true);
    const last = await readChanges(deps.db, {
      positions: [at(ORG_A, 5), at(ORG_B, 0)],
      limit: 100,
      maxBytes: 4 * budget,
    });
    expect(ids(last.rows)).toEqual(['b1', 'b2', 'b3']);
    expect(last.hasMore).toBe(false);
  });

  it('stops at the limit across organizations and says there is more', async () => {
    const page = await readChanges(deps.db, { positions: [at(ORG_A, 3), at(ORG_B, 0)], limit: 3 });
    expect(ids(page.rows)).toEqual(['a4', 'a5', 'b1']);
    expect(page.hasMore).toBe(true);
  });

  it('says there is more when the page fills exactly at the end of one organization but another has rows', async () => {
    const page = await readChanges(deps.db, { positions: [at(ORG_A, 3), at(ORG_B, 0)], limit: 2 });
    expect(ids(page.rows)).toEqual(['a4', 'a5']);
    expect(page.hasMore).toBe(true);
  });

  it('says there is no more when the page fills exactly at the end of everything', async () => {
    const page = await readChanges(deps.db, { positions: [at(ORG_A, 3), at(ORG_B, 3), at(ORG_C, 0)], limit: 2 });
    expect(ids(page.rows)).toEqual(['a4', 'a5']);
    expect(page.hasMore).toBe(false);
  });

  it('returns nothing for positions at the end of the log', async () => {
    const page = await readChanges(deps.db, { positions: [at(ORG_A, 5), at(ORG_B, 3)], limit: 10 });
    expect(page).toEqual({ rows: [], hasMore: false, bytes: 0 });
  });

  it('serves every record of a long log once, with its own data, however limit and byte budget cut its chunks', async () => {
    for (const [limit, maxBytes] of [
      [5000, undefined],
      [1000, undefined],
      [499, undefined],
      [5000, 20_000],
      [700, 3_001],
    ] as const) {
      const served: { seq: number; table: string; recordId: string; name: unknown }[] = [];
      let after = 0;
      for (let pages = 0; ; pages++) {
        expect(pages).toBeLessThan(LONG_LOG);
        const page = await readChanges(deps.db, { positions: [at(ORG_D, after)], limit, maxBytes });
        for (const r of page.rows)
          served.push({
            seq: r.seq,
            table: r.table,
            recordId: r.recordId,
            name: r.data === null ? null : r.table === 'teams' ? r.data.name : r.data.given_name,
          });
        if (!page.hasMore) break;
        after = page.rows[page.rows.length - 1]!.seq;
      }
      expect(served).toEqual(
        longLog.map((r) => ({ seq: r.seq, table: r.table, recordId: r.id, name: r.deleted ? null : r.id })),
      );
    }
  });

  it('finds a position ahead of its organization log (a restored database)', async () => {
    expect(await findPositionBeyondLog(deps.db, [at(ORG_A, 5), at(ORG_B, 3), at(ORG_C, 0)])).toBeUndefined();
    expect(await findPositionBeyondLog(deps.db, [at(ORG_A, 5), at(ORG_B, 4)])).toEqual(at(ORG_B, 4));
    // An organization with no log yet ends at 0.
    expect(await findPositionBeyondLog(deps.db, [at(ORG_C, 1)])).toEqual(at(ORG_C, 1));
  });
});
