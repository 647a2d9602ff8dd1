import { defineTable } from './define-table.ts';

/** Longest clinic number (PROTOCOL §2b). */
export const IDENTIFIER_MAX_LENGTH = 32;
/** No birth date before this one is believable (PROTOCOL §2b). */
export const EARLIEST_BIRTH_DATE = '1900-01-01';

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
    // The clinic number (PROTOCOL §2b): assigned on the device, unique in the organization (`duplicate_identifier`).
    // Optional, so a version 1 or 2 INSERT stays valid; the app assigns one to every patient it registers.
    identifier: {
      type: 'text',
      required: false,
      label: 'Clinic number',
      maxLength: IDENTIFIER_MAX_LENGTH,
      code: true,
      since: 3,
    },
    phone: { type: 'text', required: false, label: 'Phone', maxLength: 50 },
    address: { type: 'text', required: false, label: 'Address', maxLength: 500, multiline: true },
    notes: { type: 'text', required: false, label: 'Notes', maxLength: 10_000, multiline: true },
  },
  scope: { kind: 'column', column: 'organization_id' },
  writeRoles: ['admin', 'clinician', 'receptionist'],
  immutable: ['organization_id'],
  // Identity fields never merge: two people renaming one patient differently
  // must be decided by a human. Contact details and notes merge per field.
  // The clinic number is identity too: two devices numbering one patient differently must not merge silently.
  strict: ['organization_id', 'given_name', 'family_name', 'birth_date', 'sex', 'identifier'],
});
