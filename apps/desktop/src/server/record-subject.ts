/**
 * Names what a refused or held change is about, for people: the kind of
 * entry and the patient it concerns, looked up in the local store (the
 * change itself may carry only a phone number).
 */
import type { SyncEngine } from '@clinicsync/client';
import { isTableName, TABLES } from '@clinicsync/protocol';
import type { RecordSubject } from '../shared/local-api.ts';

function nameOf(row: Readonly<Record<string, unknown>> | null | undefined): string | null {
  if (!row) return null;
  const name = [row.given_name, row.family_name].filter((p) => typeof p === 'string' && p).join(' ');
  return name || null;
}

/** `record` is the row as this device had it (a dead letter's snapshot), or null to look it up. */
export function recordSubject(
  engine: SyncEngine,
  table: string,
  recordId: string,
  record: Readonly<Record<string, unknown>> | null,
): RecordSubject {
  if (!isTableName(table)) return { label: table, patientName: null, patientId: null };
  const label = TABLES[table].label;
  const row = record ?? engine.get(table, recordId) ?? null;
  if (table === 'patients')
    return { label, patientName: nameOf(row) ?? nameOf(engine.get('patients', recordId)), patientId: recordId };
  const patientId = typeof row?.patient_id === 'string' ? row.patient_id : null;
  return { label, patientName: patientId ? nameOf(engine.get('patients', patientId)) : null, patientId };
}
