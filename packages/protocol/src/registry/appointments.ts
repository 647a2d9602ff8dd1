import { defineTable } from './define-table.ts';

export const APPOINTMENT_STATUSES = ['booked', 'arrived', 'fulfilled', 'cancelled', 'noshow'] as const;
/** What the visit is for (schema version 2): lets a clinic plan rooms, stock and staff per kind of visit. */
export const APPOINTMENT_KINDS = [
  'consultation',
  'follow_up',
  'vaccination',
  'antenatal',
  'procedure',
  'other',
] as const;

export const appointments = defineTable({
  name: 'appointments',
  label: 'appointment',
  columns: {
    team_id: { type: 'uuid', required: true, label: 'Team', references: 'teams' },
    patient_id: { type: 'uuid', required: true, label: 'Patient', references: 'patients' },
    starts_at: { type: 'timestamp', required: true, label: 'Starts at' },
    duration_min: { type: 'integer', required: true, label: 'Duration (minutes)', min: 1, max: 24 * 60 },
    status: { type: 'enum', required: true, label: 'Status', values: APPOINTMENT_STATUSES },
    // Optional, so an INSERT from a version 1 client (which cannot know it) stays valid and stores null.
    kind: { type: 'enum', required: false, label: 'Kind', values: APPOINTMENT_KINDS, since: 2 },
    reason: { type: 'text', required: false, label: 'Reason', maxLength: 1000, multiline: true },
  },
  // team_id may move to another team of the same organization (PROTOCOL §2).
  scope: { kind: 'parent', column: 'team_id', parent: 'teams' },
  writeRoles: ['admin', 'clinician', 'receptionist'],
  immutable: ['patient_id'],
  // `kind` merges: it classifies the visit and does not decide who or when, so
  // setting it while someone else edits the reason must not raise a conflict.
  // Two different kinds chosen concurrently still conflict (the field itself changed).
  strict: ['team_id', 'patient_id', 'starts_at', 'status'],
});
