import { describe, expect, it } from 'vitest';
import { ORG, patientData, testStore } from '../../test/support/test-store.ts';
import { outboxByOrganization } from './outbox-by-organization.ts';
import { outboxReport } from './outbox.ts';
import { insertRecord } from './write-record.ts';

const OTHER = '0b8a4c6e-1d2f-4a3b-8c5d-6e7f8a9b0c1d';

describe('outboxByOrganization', () => {
  it("splits the pending events by their records' organizations, adding up to the totals", () => {
    const store = testStore();
    insertRecord(store, 'patients', patientData());
    store.clock.advance(60_000);
    insertRecord(store, 'patients', patientData());
    const other = insertRecord(store, 'patients', patientData({ organization_id: OTHER }));
    insertRecord(store, 'vitals', {
      patient_id: other.id,
      kind: 'heart_rate',
      value: 70,
      unit: '/min',
      recorded_at: '2026-01-01T00:00:00Z',
    });

    const split = outboxByOrganization(store);
    // Equal pending: ordered by organization id.
    expect(split).toEqual([
      {
        organizationId: OTHER,
        pending: 2,
        oldestPendingAt: '2026-01-01T00:01:00.000Z',
        openConflicts: 0,
        deadLetters: 0,
      },
      {
        organizationId: ORG,
        pending: 2,
        oldestPendingAt: '2026-01-01T00:00:00.000Z',
        openConflicts: 0,
        deadLetters: 0,
      },
    ]);
    expect(split.reduce((n, entry) => n + entry.pending, 0)).toBe(outboxReport(store).pending);
  });

  it('reports nothing for an empty outbox', () => {
    expect(outboxByOrganization(testStore())).toEqual([]);
  });
});
