import type { EventResult } from '@clinicsync/protocol';
import { describe, expect, it } from 'vitest';
import { LocalValidationError, NotFoundError } from '../errors.ts';
import { patientData, testStore, type TestStore } from '../../test/support/test-store.ts';
import { discardDeadLetter, listConflicts, listDeadLetters, resolveConflict } from './conflict-inbox.ts';
import { readRow } from './local-rows.ts';
import { pendingEvents, takeBatch } from './outbox.ts';
import { updateRecord } from './write-record.ts';
import { applyPullPage } from './apply-pull-page.ts';

const ID = '10000000-0000-4000-8000-000000000001';

function serverPatient(version: number, data: Record<string, unknown> = {}) {
  return {
    ...patientData(),
    id: ID,
    version,
    updated_by: 'u2',
    updated_at: '2026-01-02T00:00:00.000Z',
    deleted: false,
    ...data,
  };
}

/** A patient at version 3 whose local edit of `changes` came back as a conflict with version 4. */
function conflicted(
  store: TestStore,
  changes: Record<string, unknown>,
  server = serverPatient(4, { given_name: 'Theirs', phone: 'their phone' }),
) {
  applyPullPage(store, {
    changes: [
      {
        table: 'patients',
        recordId: ID,
        op: 'UPSERT',
        version: 3,
        organizationId: String(patientData().organization_id),
        data: serverPatient(3),
      },
    ],
    cursor: 'c' as never,
    hasMore: false,
    revokedOrganizations: [],
  });
  updateRecord(store, 'patients', ID, changes);
  const batch = takeBatch(store, 500);
  batch.complete([
    {
      eventId: batch.events[0]!.eventId,
      status: 'conflict',
      serverVersion: server.version,
      serverRecord: server,
      fields: Object.keys(changes),
    } as unknown as EventResult,
  ]);
  return listConflicts(store)[0]!;
}

describe('resolveConflict', () => {
  it('take theirs keeps the server row and sends nothing', () => {
    const store = testStore();
    const conflict = conflicted(store, { given_name: 'Mine' });
    resolveConflict(store, conflict.id, { kind: 'take_theirs' });
    expect(listConflicts(store)).toEqual([]);
    expect(pendingEvents(store)).toEqual([]);
    expect(readRow(store.db, 'patients', ID)?.row).toMatchObject({ given_name: 'Theirs', version: 4 });
  });

  it('keep mine re-sends the refused change against the server version', () => {
    const store = testStore();
    const conflict = conflicted(store, { given_name: 'Mine' });
    resolveConflict(store, conflict.id, { kind: 'keep_mine' });
    expect(listConflicts(store)).toEqual([]);
    expect(pendingEvents(store)).toMatchObject([{ op: 'UPDATE', baseVersion: 4, data: { given_name: 'Mine' } }]);
    expect(readRow(store.db, 'patients', ID)?.row).toMatchObject({
      given_name: 'Mine',
      phone: 'their phone',
      version: 4,
    });
  });

  it('a merge sends the edited fields against the server version', () => {
    const store = testStore();
    const conflict = conflicted(store, { given_name: 'Mine' });
    resolveConflict(store, conflict.id, { kind: 'merge', data: { given_name: 'Mine-Theirs', phone: 'their phone' } });
    expect(pendingEvents(store)).toMatchObject([{ op: 'UPDATE', baseVersion: 4, data: { given_name: 'Mine-Theirs' } }]);
  });

  it('a merge with bad data is refused and the conflict stays open', () => {
    const store = testStore();
    const conflict = conflicted(store, { given_name: 'Mine' });
    expect(() => resolveConflict(store, conflict.id, { kind: 'merge', data: { sex: 'f' } })).toThrow(
      LocalValidationError,
    );
    expect(listConflicts(store)).toHaveLength(1);
  });

  it('keep mine on a record the server deleted is refused and the conflict stays open', () => {
    const store = testStore();
    const conflict = conflicted(store, { phone: 'mine' }, serverPatient(4, { deleted: true }));
    expect(() => resolveConflict(store, conflict.id, { kind: 'keep_mine' })).toThrow(NotFoundError);
    expect(listConflicts(store)).toHaveLength(1);
  });

  it('an unknown conflict id throws NotFoundError', () => {
    expect(() => resolveConflict(testStore(), 'nope', { kind: 'take_theirs' })).toThrow(NotFoundError);
  });
});

describe('dead letters', () => {
  it('are listed until explicitly discarded', () => {
    const store = testStore();
    applyPullPage(store, {
      changes: [
        {
          table: 'patients',
          recordId: ID,
          op: 'UPSERT',
          version: 1,
          organizationId: String(patientData().organization_id),
          data: serverPatient(1),
        },
      ],
      cursor: 'c' as never,
      hasMore: false,
      revokedOrganizations: [],
    });
    updateRecord(store, 'patients', ID, { phone: 'x' });
    const batch = takeBatch(store, 500);
    batch.complete([
      { eventId: batch.events[0]!.eventId, status: 'rejected', code: 'forbidden', message: 'no' } as EventResult,
    ]);
    const [letter] = listDeadLetters(store);
    expect(letter).toMatchObject({
      recordId: ID,
      op: 'UPDATE',
      data: { phone: 'x' },
      code: 'forbidden',
      message: 'no',
    });
    discardDeadLetter(store, letter!.id);
    expect(listDeadLetters(store)).toEqual([]);
    expect(() => discardDeadLetter(store, letter!.id)).toThrow(NotFoundError);
  });
});
