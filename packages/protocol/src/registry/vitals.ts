import { defineTable } from './define-table.ts';

export const vitals = defineTable({
  name: 'vitals',
  label: 'vital sign',
  columns: {
    patient_id: { type: 'uuid', required: true, label: 'Patient', references: 'patients' },
    kind: { type: 'text', required: true, label: 'Kind', maxLength: 100 },
    value: { type: 'number', required: true, label: 'Value', min: -1e9, max: 1e9 },
    unit: { type: 'text', required: true, label: 'Unit', maxLength: 50 },
    recorded_at: { type: 'timestamp', required: true, label: 'Recorded at' },
  },
  scope: { kind: 'parent', column: 'patient_id', parent: 'patients' },
  writeRoles: ['admin', 'clinician'],
  immutable: ['patient_id'],
  strict: 'all',
});
