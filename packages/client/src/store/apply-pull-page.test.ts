import type { Change, PullResponse } from '@clinicsync/protocol';
import { describe, expect, it } from 'vitest';
import { ORG, patientData, testStore } from '../../test/support/test-store.ts';
import { listConflicts, listDeadLetters } from './conflict-inbox.ts';
import { readRow } from './local-rows.ts';
import { pendingEvents, takeBatch } from './outbox.ts';
import { applyPullPage } from './apply-pull-page.ts';
import { readServerRow } from './server-rows.ts';
import { readState, startFullResync } from './sync-state.ts';
import { insertRecord, updateRecord } from './write-record.ts';
import { readDraft, saveDraft } from './drafts.ts';

const P1 = '10000000-0000-4000-8000-000000000001';
const P2 = '10000000-0000-4000-8000-000000000002';
const OTHER_ORG = '20000000-0000-4000-8000-000000000009';

function upsert(recordId: string, version: number, data: Record<string, unknown> = {}, organizationId = ORG): Change {
  return {
    table: 'patients',
    recordId,
    op: 'UPSERT',
    version,
    organizationId,
    data: {
      ...patientData(),
      id: recordId,
      version,
      updated_by: 'u1',
      updated_at: '2026-01-01T00:00:00.000Z',
      deleted: false,
      ...data,
    },
  };
}

function page(changes: Change[], extra: Partial<PullResponse> = {}): PullResponse {
  return {
    changes,
    cursor: `c${changes.length}` as PullResponse['cursor'],
    hasMore: false,
    revokedOrganizations: [],
    ...extra,
  };
}

describe('applyPullPage', () => {
  it('writes the rows and the cursor together', () => {
    const store = testStore();
    applyPullPage(
      store,
      page([upsert(P1, 1), upsert(P2, 2, { given_name: 'Bo' })], { cursor: 'abc' as PullResponse['cursor'] }),
    );
    expect(readRow(store.db, 'patients', P1)?.row).toMatchObject({
      version: 1,
      given_name: 'Amina',
      updated_by: 'u1',
      deleted: false,
    });
    expect(readRow(store.db, 'patients', P2)?.row).toMatchObject({ version: 2, given_name: 'Bo' });
    expect(readRow(store.db, 'patients', P1)?.organizationId).toBe(ORG);
    expect(readState(store.db, 'cursor')).toBe('abc');
  });

  it('stores nothing, not even the cursor, when the page fails halfway', () => {
    const store = testStore();
    const broken = { ...upsert(P2, 1), table: 'patients' } as Change;
    store.db.exec(
      `CREATE TRIGGER no_p2 BEFORE INSERT ON patients WHEN NEW.id = '${P2}' BEGIN SELECT RAISE(ABORT, 'boom'); END`,
    );
    expect(() => applyPullPage(store, page([upsert(P1, 1), broken]))).toThrow();
    expect(readRow(store.db, 'patients', P1)).toBeUndefined();
    expect(readState(store.db, 'cursor')).toBeNull();
  });

  it('applies a tombstone, keeping the last values', () => {
    const store = testStore();
    applyPullPage(store, page([upsert(P1, 1)]));
    applyPullPage(
      store,
      page([{ table: 'patients', recordId: P1, op: 'DELETE', version: 2, organizationId: ORG, data: null }]),
    );
    expect(readRow(store.db, 'patients', P1)?.row).toMatchObject({ deleted: true, version: 2, given_name: 'Amina' });
  });

  it('never overwrites a row with unsent local edits, but remembers the server state', () => {
    const store = testStore();
    applyPullPage(store, page([upsert(P1, 1, { phone: 'a' })]));
    updateRecord(store, 'patients', P1, { phone: 'mine' });
    applyPullPage(store, page([upsert(P1, 2, { phone: 'theirs', address: 'elsewhere' })]));
    expect(readRow(store.db, 'patients', P1)?.row).toMatchObject({ phone: 'mine', version: 1 });
    expect(readServerRow(store.db, 'patients', P1)).toMatchObject({ version: 2, row: { phone: 'theirs' } });

    // The push then reports the conflict; the row falls back to the newest server state it knows.
    const batch = takeBatch(store, 500);
    batch.complete([
      {
        eventId: batch.events[0]!.eventId as never,
        status: 'conflict',
        serverVersion: 2,
        serverRecord: upsert(P1, 2, { phone: 'theirs', address: 'elsewhere' }).data,
        fields: ['phone'],
      },
    ]);
    expect(readRow(store.db, 'patients', P1)?.row).toMatchObject({ phone: 'theirs', address: 'elsewhere', version: 2 });
    expect(listConflicts(store)).toHaveLength(1);
  });

  it('ignores a change older than the row', () => {
    const store = testStore();
    applyPullPage(store, page([upsert(P1, 5, { phone: 'new' })]));
    applyPullPage(store, page([upsert(P1, 4, { phone: 'old' })]));
    expect(readRow(store.db, 'patients', P1)?.row).toMatchObject({ phone: 'new', version: 5 });
  });

  it('ignores tables this client does not know', () => {
    const store = testStore();
    applyPullPage(store, page([{ ...upsert(P1, 1), table: 'invoices' }]));
    expect(readRow(store.db, 'patients', P1)).toBeUndefined();
  });

  it('purges a revoked organization and keeps its unsent edits as dead letters', () => {
    const store = testStore();
    applyPullPage(store, page([upsert(P1, 1, {}, OTHER_ORG), upsert(P2, 1)]));
    updateRecord(store, 'patients', P1, { phone: 'unsent' });
    const local = insertRecord(store, 'patients', patientData({ organization_id: OTHER_ORG }));
    applyPullPage(store, page([], { revokedOrganizations: [OTHER_ORG] }));
    expect(readRow(store.db, 'patients', P1)).toBeUndefined();
    expect(readRow(store.db, 'patients', local.id)).toBeUndefined();
    expect(readRow(store.db, 'patients', P2)).toBeDefined();
    expect(pendingEvents(store)).toEqual([]);
    expect(listDeadLetters(store).map((d) => [d.recordId, d.op, d.code])).toEqual([
      [P1, 'UPDATE', 'organization_revoked'],
      [local.id, 'INSERT', 'organization_revoked'],
    ]);
  });

  it('purges the drafts typed about a revoked organization, and keeps the others', () => {
    const store = testStore();
    applyPullPage(store, page([upsert(P1, 1, {}, OTHER_ORG), upsert(P2, 1)]));
    saveDraft(store, `patients:edit:${P1}`, { notes: 'typed about the left organization' });
    saveDraft(store, `patients:new:${OTHER_ORG}`, { given_name: 'Ami' });
    saveDraft(store, `patients:edit:${P2}`, { notes: 'kept' });
    applyPullPage(store, page([], { revokedOrganizations: [OTHER_ORG] }));
    expect(readDraft(store, `patients:edit:${P1}`)).toBeUndefined();
    expect(readDraft(store, `patients:new:${OTHER_ORG}`)).toBeUndefined();
    expect(readDraft(store, `patients:edit:${P2}`)?.values).toEqual({ notes: 'kept' });
  });

  it('a full resync sweeps rows the server no longer has, except those with unsent edits', () => {
    const store = testStore();
    applyPullPage(store, page([upsert(P1, 1), upsert(P2, 1)]));
    const unsent = insertRecord(store, 'patients', patientData());
    startFullResync(store.db);
    expect(readState(store.db, 'cursor')).toBeNull();
    applyPullPage(store, page([upsert(P2, 3)], { hasMore: true }));
    expect(readRow(store.db, 'patients', P1)).toBeDefined();
    applyPullPage(store, page([]));
    expect(readRow(store.db, 'patients', P1)).toBeUndefined();
    expect(readRow(store.db, 'patients', P2)?.row.version).toBe(3);
    expect(readRow(store.db, 'patients', unsent.id)).toBeDefined();
    expect(readState(store.db, 'resync_in_progress')).toBeNull();
  });
});

describe('a full resync while the user is out of an organization', () => {
  it('turns its unsent edits and open conflicts into dead letters instead of sweeping them away', () => {
    const store = testStore();
    const id = '10000000-0000-4000-8000-00000000000a';
    const org = {
      table: 'organizations',
      recordId: ORG,
      op: 'UPSERT' as const,
      version: 1,
      organizationId: ORG,
      data: { id: ORG, name: 'Old clinic', version: 1 },
    };
    const patient = {
      table: 'patients',
      recordId: id,
      op: 'UPSERT' as const,
      version: 1,
      organizationId: ORG,
      data: { ...patientData(), id, version: 1 },
    };
    applyPullPage(store, { changes: [org, patient], cursor: 'c1' as never, hasMore: false, revokedOrganizations: [] });
    updateRecord(store, 'patients', id, { phone: 'typed offline' });
    startFullResync(store.db);
    // The server sends nothing of that organization any more, and no revokedOrganizations either (it has no cursor to compare with).
    applyPullPage(store, { changes: [], cursor: 'c2' as never, hasMore: false, revokedOrganizations: [] });
    expect(pendingEvents(store)).toEqual([]);
    expect(listConflicts(store)).toEqual([]);
    expect(listDeadLetters(store)).toMatchObject([
      { op: 'UPDATE', code: 'organization_revoked', data: { phone: 'typed offline' }, record: { given_name: 'Amina' } },
    ]);
    expect(store.db.get('SELECT count(*) AS n FROM patients')?.n).toBe(0);
  });

  it('keeps an organization created on this device and not sent yet', () => {
    const store = testStore();
    const org = insertRecord(store, 'organizations', { name: 'New clinic' });
    startFullResync(store.db);
    applyPullPage(store, { changes: [], cursor: 'c2' as never, hasMore: false, revokedOrganizations: [] });
    expect(pendingEvents(store)).toHaveLength(1);
    expect(store.db.get('SELECT count(*) AS n FROM organizations WHERE id = ?', [org.id])?.n).toBe(1);
  });
});
