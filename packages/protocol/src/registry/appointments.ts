import { defineTable } from './define-table.ts';

export const APPOINTMENT_STATUSES = ['booked', 'arrived', 'fulfilled', 'cancelled', 'noshow'] as const;

export const appointments = defineTable({
  name: 'appointments',
  label: 'appointment',
  columns: {
    team_id: { type: 'uuid', required: true, label: 'Team', references: 'teams' },
    patient_id: { type: 'uuid', required: true, label: 'Patient', references: 'patients' },
    starts_at: { type: 'timestamp', required: true, label: 'Starts at' },
    duration_min: { type: 'integer', required: true, label: 'Duration (minutes)', min: 1, max: 24 * 60 },
    status: { type: 'enum', required: true, label: 'Status', values: APPOINTMENT_STATUSES },
    reason: { type: 'text', required: false, label: 'Reason', maxLength: 1000, multiline: true },
  },
  // team_id may move to another team of the same organization (PROTOCOL §2).
  scope: { kind: 'parent', column: 'team_id', parent: 'teams' },
  writeRoles: ['admin', 'clinician', 'receptionist'],
  immutable: ['patient_id'],
  strict: ['team_id', 'patient_id', 'starts_at', 'status'],
});
