/**
 * The clinical rules of schema version 3 (PROTOCOL §2b), a push step between
 * the version guard and the integrity check, inside the batch's transaction:
 *
 * 1. an older client's vital (free-text kind and unit) is mapped to its code
 *    where the meaning is certain, else refused with the reason
 *    (legacy-vitals.ts); every later step sees coded data;
 * 2. the row as it would be after the write keeps the rules of
 *    `clinicalIssues` (the same function the client runs before queueing):
 *    `out_of_range` for a value outside its hard range, `invalid_event` for
 *    the rest; details name the fields, never the values; a birth date is
 *    judged by the writer's calendar as its `createdAt` says (writersToday);
 * 3. a clinic number is unique in its organization (`duplicate_identifier`).
 */
import {
  CODED_VITALS_SINCE,
  clinicalIssues,
  vitalFromLegacyClient,
  vitalKindSpec,
  writersToday,
  type ClinicalIssue,
} from '@clinicsync/protocol';
import type { BatchRows } from './batch-rows.ts';
import { checkIdentifier } from './check-identifier.ts';
import { reject, type Rejection, type ScopedEvent, type StoredRow } from './event-types.ts';

export type ClinicalCheck = { readonly kind: 'ok'; readonly event: ScopedEvent } | Rejection;

/** Maps and checks `event`; returns the event to apply (possibly translated) or the refusal. */
export async function checkClinical(
  rows: BatchRows,
  input: {
    readonly event: ScopedEvent;
    readonly stored: StoredRow | undefined;
    readonly schemaVersion: number;
    readonly now: string;
  },
): Promise<ClinicalCheck> {
  let event = input.event;
  const { stored } = input;
  if (event.op === 'DELETE') return { kind: 'ok', event };

  if (event.table === 'vitals' && input.schemaVersion < CODED_VITALS_SINCE) {
    const mapped = vitalFromLegacyClient(event.data, stored?.values);
    if (mapped.kind === 'refused')
      return reject('invalid_event', mapped.message, { field: mapped.field, fields: [mapped.field] });
    event = { ...event, data: mapped.data };
  }

  const row = event.op === 'INSERT' || !stored ? event.data : { ...stored.values, ...event.data };
  const changed = event.op === 'INSERT' ? undefined : Object.keys(event.data);
  const now = new Date(input.now);
  const today = writersToday(now, event.createdAt);
  const issues = clinicalIssues(event.table, row, { now, today, ...(changed ? { changed } : {}) });
  if (issues.length > 0) return refusal(event, row, issues);

  if (event.table === 'patients') {
    const duplicate = await checkIdentifier(rows, { event, stored });
    if (duplicate) return duplicate;
  }
  return { kind: 'ok', event };
}

function refusal(
  event: ScopedEvent,
  row: Readonly<Record<string, unknown>>,
  issues: readonly ClinicalIssue[],
): Rejection {
  const outOfRange = issues.filter((issue) => issue.code === 'out_of_range');
  if (outOfRange.length > 0) {
    const fields = outOfRange.map((issue) => issue.path);
    const spec = vitalKindSpec(row.kind);
    const what = spec ? ` for ${spec.label.toLowerCase()}` : '';
    return reject(
      'out_of_range',
      `The ${fields.join(' and ')} of this ${event.spec.label} ${fields.length > 1 ? 'are' : 'is'} outside what can be measured${what}: check the number and its unit.`,
      { field: fields[0], fields },
    );
  }
  const fields = issues.map((issue) => issue.path);
  const reasons = issues.map((issue) => `${issue.path} (${issue.code})`).join(', ');
  return reject('invalid_event', `Invalid ${event.spec.label} data: ${reasons}.`, {
    field: fields[0],
    fields,
    issues: issues.map((i) => ({ ...i })),
  });
}
