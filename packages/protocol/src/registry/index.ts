/** The table registry (PROTOCOL §2) and its schema versions (PROTOCOL §5). */
export * from './define-table.ts';
export * from './tables.ts';
export * from './scope-chain.ts';
export * from './schema-versions.ts';
export * from './vital-kinds.ts';
export * from './clinical-rules.ts';
export * from './legacy-vitals.ts';
export { appointments, APPOINTMENT_KINDS, APPOINTMENT_STATUSES } from './appointments.ts';
export { medications, MEDICATION_STATUSES } from './medications.ts';
export { members } from './members.ts';
export { organizations } from './organizations.ts';
export { patients, SEXES, IDENTIFIER_MAX_LENGTH, EARLIEST_BIRTH_DATE } from './patients.ts';
export { teams } from './teams.ts';
export { vitals } from './vitals.ts';
export { ENTERED_IN_ERROR_COLUMNS, ERROR_REASON_MAX_LENGTH } from './entered-in-error.ts';
