import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/support/dialects.ts';
import { testDeps, type TestDeps } from '../../../test/support/test-deps.ts';
import type { CursorPosition } from './cursor.ts';
import { approximateBytes, readChanges } from './read-changes.ts';
import { findPositionBeyondLog } from './read-log-ends.ts';

const ORG_A = 'aaaaaaaa-0000-4000-8000-000000000000';
const ORG_B = 'bbbbbbbb-0000-4000-8000-000000000000';
const ORG_C = 'cccccccc-0000-4000-8000-000000000000';

function at(organizationId: string, seq: number): CursorPosition {
  return { organizationId, membershipId: 'm', seq };
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
      ])
      .execute();
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

  it('finds a position ahead of its organization log (a restored database)', async () => {
    expect(await findPositionBeyondLog(deps.db, [at(ORG_A, 5), at(ORG_B, 3), at(ORG_C, 0)])).toBeUndefined();
    expect(await findPositionBeyondLog(deps.db, [at(ORG_A, 5), at(ORG_B, 4)])).toEqual(at(ORG_B, 4));
    // An organization with no log yet ends at 0.
    expect(await findPositionBeyondLog(deps.db, [at(ORG_C, 1)])).toEqual(at(ORG_C, 1));
  });
});
