/**
 * A pull page's rows are written many to a statement (local-rows.ts
 * `createServerRowBatch`); these tests hold the result to what writing them
 * one by one, in page order, leaves behind.
 */
import type { Change, PullResponse } from '@clinicsync/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ORG, patientData, testStore } from '../../test/support/test-store.ts';
import { applyPullPage } from './apply-pull-page.ts';
import { readRow } from './local-rows.ts';
import { readServerRow } from './server-rows.ts';
import { updateRecord } from './write-record.ts';

const IDS = Array.from({ length: 6 }, (_, i) => `10000000-0000-4000-8000-00000000000${i}`);
const NAMES = ['Amina', 'Bo', 'Chen', 'Dara'];

type Step = {
  readonly id: number;
  readonly op: 'UPSERT' | 'DELETE';
  readonly version: number;
  readonly name: number;
  readonly withData: boolean;
};

function change(step: Step, recordId = IDS[step.id]!): Change {
  const data = {
    ...patientData({ given_name: NAMES[step.name] }),
    updated_at: '2026-01-01T00:00:00.000Z',
    updated_by: 'u1',
  };
  return {
    table: 'patients',
    recordId,
    op: step.op,
    version: step.version,
    organizationId: ORG,
    data: step.op === 'DELETE' && !step.withData ? null : data,
  };
}

function page(changes: Change[], cursor: string): PullResponse {
  return { changes, cursor: cursor as PullResponse['cursor'], hasMore: false, revokedOrganizations: [] };
}

type Modelled = { version: number; given_name: string | null; deleted: boolean };

/** Row-at-a-time semantics: a change is taken unless the store holds the row at a newer version; a tombstone without data keeps the stored values. */
function model(pages: readonly Step[][]): { rows: Map<string, Modelled>; applied: number[] } {
  const rows = new Map<string, Modelled>();
  const applied: number[] = [];
  for (const steps of pages) {
    let taken = 0;
    for (const step of steps) {
      const id = IDS[step.id]!;
      const stored = rows.get(id);
      const name = step.op === 'DELETE' && !step.withData ? (stored?.given_name ?? null) : NAMES[step.name]!;
      if (stored && stored.version > step.version) continue;
      rows.set(id, { version: step.version, given_name: name, deleted: step.op === 'DELETE' });
      taken += 1;
    }
    applied.push(taken);
  }
  return { rows, applied };
}

const stepArb = fc.record({
  id: fc.integer({ min: 0, max: IDS.length - 1 }),
  op: fc.constantFrom('UPSERT' as const, 'DELETE' as const),
  version: fc.integer({ min: 1, max: 8 }),
  name: fc.integer({ min: 0, max: NAMES.length - 1 }),
  withData: fc.boolean(),
});

describe('applyPullPage writes a page many rows to a statement', () => {
  it('leaves exactly what writing the rows one by one, in page order, would', () => {
    fc.assert(
      fc.property(fc.array(fc.array(stepArb, { maxLength: 160 }), { minLength: 1, maxLength: 3 }), (pages) => {
        const store = testStore();
        const applied = pages.map(
          (steps, i) =>
            applyPullPage(
              store,
              page(
                steps.map((s) => change(s)),
                `c${i}`,
              ),
            ).applied,
        );
        const expected = model(pages);
        expect(applied).toEqual(expected.applied);
        for (const id of IDS) {
          const row = readRow(store.db, 'patients', id)?.row;
          const want = expected.rows.get(id);
          expect(
            row === undefined ? undefined : { version: row.version, given_name: row.given_name, deleted: row.deleted },
          ).toEqual(want);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('writes pages longer than one statement whole, leftovers included', () => {
    const store = testStore();
    const ids = Array.from({ length: 1003 }, (_, i) => `20000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const summary = applyPullPage(
      store,
      page(
        ids.map((id, i) => change({ id: 0, op: 'UPSERT', version: 1, name: i % NAMES.length, withData: true }, id)),
        'c',
      ),
    );
    expect(summary.applied).toBe(1003);
    expect(store.db.get('SELECT count(*) AS n FROM patients')?.n).toBe(1003);
    expect(readRow(store.db, 'patients', ids[1002]!)?.row).toMatchObject({
      given_name: NAMES[1002 % NAMES.length],
      version: 1,
    });
  });

  it('still never overwrites a row with unsent edits met between rows of a statement', () => {
    const store = testStore();
    const [mine, ...others] = IDS;
    applyPullPage(store, page([change({ id: 0, op: 'UPSERT', version: 1, name: 0, withData: true }, mine)], 'c0'));
    updateRecord(store, 'patients', mine!, { phone: 'typed offline' });
    const changes = [
      ...others.map((id) => change({ id: 0, op: 'UPSERT', version: 2, name: 1, withData: true }, id)),
      change({ id: 0, op: 'UPSERT', version: 2, name: 2, withData: true }, mine),
      ...others.map((id) => change({ id: 0, op: 'DELETE', version: 3, name: 0, withData: false }, id)),
    ];
    const summary = applyPullPage(store, page(changes, 'c1'));
    expect(summary).toMatchObject({ applied: others.length * 2, skipped: 1 });
    expect(readRow(store.db, 'patients', mine!)?.row).toMatchObject({
      phone: 'typed offline',
      version: 1,
      given_name: 'Amina',
    });
    expect(readServerRow(store.db, 'patients', mine!)).toMatchObject({ version: 2, row: { given_name: NAMES[2] } });
    // The tombstones without data kept the values written earlier in the same page.
    for (const id of others)
      expect(readRow(store.db, 'patients', id)?.row).toMatchObject({ deleted: true, version: 3, given_name: 'Bo' });
  });
});

describe('applyPullPage and the store', () => {
  it('asks for a bulk transaction for a first sync page with more to come, and only then', () => {
    const store = testStore();
    const asked: (boolean | undefined)[] = [];
    const db = store.db;
    const ctx = {
      ...store,
      db: {
        ...db,
        transaction: <T>(fn: () => T, options?: { bulk?: boolean; redoable?: boolean }) => {
          asked.push(options?.bulk);
          return db.transaction(fn, options);
        },
      },
    };
    const one = (i: number) => change({ id: 0, op: 'UPSERT', version: 1, name: 0, withData: true }, IDS[i]);
    applyPullPage(ctx, { ...page([one(0)], 'c1'), hasMore: true });
    applyPullPage(ctx, { ...page([one(1)], 'c2'), hasMore: true });
    applyPullPage(ctx, page([one(2)], 'c3'));
    // A later pull (the cursor set, no bulk load running) is not bulk even with more to come.
    applyPullPage(ctx, { ...page([one(3)], 'c4'), hasMore: true });
    expect(asked).toEqual([true, true, false, false]);
  });
});
