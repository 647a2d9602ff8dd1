import { defineTable } from './define-table.ts';
import { ERROR_REASON_MAX_LENGTH } from './vitals.ts';

export const MEDICATION_STATUSES = ['active', 'stopped', 'completed'] as const;

export const medications = defineTable({
  name: 'medications',
  label: 'medication',
  columns: {
    patient_id: { type: 'uuid', required: true, label: 'Patient', references: 'patients' },
    code: { type: 'text', required: true, label: 'Medication', maxLength: 200 },
    dose: { type: 'text', required: true, label: 'Dose', maxLength: 200 },
    route: { type: 'text', required: false, label: 'Route', maxLength: 100 },
    frequency: { type: 'text', required: false, label: 'Frequency', maxLength: 100 },
    status: { type: 'enum', required: true, label: 'Status', values: MEDICATION_STATUSES },
    // Marked by a clinician instead of deleting (PROTOCOL §2b); kept in history.
    entered_in_error: { type: 'boolean', required: false, label: 'Entered in error', default: false, since: 3 },
    error_reason: {
      type: 'text',
      required: false,
      label: 'Reason for the error',
      maxLength: ERROR_REASON_MAX_LENGTH,
      since: 3,
    },
  },
  scope: { kind: 'parent', column: 'patient_id', parent: 'patients' },
  writeRoles: ['admin', 'clinician'],
  immutable: ['patient_id'],
  strict: 'all',
});
