import { defineTable } from './define-table.ts';
import { ENTERED_IN_ERROR_COLUMNS } from './entered-in-error.ts';

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
    ...ENTERED_IN_ERROR_COLUMNS,
  },
  scope: { kind: 'parent', column: 'patient_id', parent: 'patients' },
  writeRoles: ['admin', 'clinician'],
  immutable: ['patient_id'],
  strict: 'all',
});
