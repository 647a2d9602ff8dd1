import { defineTable } from './define-table.ts';
import { ENTERED_IN_ERROR_COLUMNS } from './entered-in-error.ts';
import { VITAL_KIND_CODES } from './vital-kinds.ts';

export const vitals = defineTable({
  name: 'vitals',
  label: 'vital sign',
  columns: {
    patient_id: { type: 'uuid', required: true, label: 'Patient', references: 'patients' },
    // Coded since version 3 (vital-kinds.ts). Clients of versions 1 and 2 send free text, which the server maps
    // to a code where the meaning is certain and refuses otherwise (legacy-vitals.ts, docs/schema-migrations.md).
    kind: {
      type: 'enum',
      required: true,
      label: 'Kind',
      values: VITAL_KIND_CODES,
      legacy: { until: 2, column: { type: 'text', required: true, label: 'Kind', maxLength: 100 } },
    },
    // The first value: the systolic of a blood pressure. Its hard range depends on the kind (clinical-rules.ts).
    value: { type: 'number', required: true, label: 'Value', min: -1e9, max: 1e9 },
    // The diastolic of a blood pressure, absent for every other kind. Optional, so a version 1 or 2 INSERT stays valid.
    value2: { type: 'number', required: false, label: 'Diastolic', min: -1e9, max: 1e9, since: 3 },
    unit: { type: 'text', required: true, label: 'Unit', maxLength: 50 },
    recorded_at: { type: 'timestamp', required: true, label: 'Recorded at' },
    ...ENTERED_IN_ERROR_COLUMNS,
  },
  scope: { kind: 'parent', column: 'patient_id', parent: 'patients' },
  writeRoles: ['admin', 'clinician'],
  immutable: ['patient_id'],
  strict: 'all',
});
