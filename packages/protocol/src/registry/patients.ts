import { defineTable } from './define-table.ts';

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;

export const patients = defineTable({
  name: 'patients',
  label: 'patient',
  columns: {
    organization_id: { type: 'uuid', required: true, label: 'Organization', references: 'organizations' },
    given_name: { type: 'text', required: true, label: 'Given name', maxLength: 200 },
    family_name: { type: 'text', required: true, label: 'Family name', maxLength: 200 },
    birth_date: { type: 'date', required: false, label: 'Birth date' },
    sex: { type: 'enum', required: false, label: 'Sex', values: SEXES },
    phone: { type: 'text', required: false, label: 'Phone', maxLength: 50 },
    address: { type: 'text', required: false, label: 'Address', maxLength: 500, multiline: true },
    notes: { type: 'text', required: false, label: 'Notes', maxLength: 10_000, multiline: true },
  },
  scope: { kind: 'column', column: 'organization_id' },
  writeRoles: ['admin', 'clinician', 'receptionist'],
  immutable: ['organization_id'],
  // Identity fields never merge: two people renaming one patient differently
  // must be decided by a human. Contact details and notes merge per field.
  strict: ['organization_id', 'given_name', 'family_name', 'birth_date', 'sex'],
});
