import type { ColumnSpec } from './define-table.ts';

/** Longest reason a clinician may give for marking an entry entered in error (PROTOCOL §2b). */
export const ERROR_REASON_MAX_LENGTH = 500;

/**
 * The columns of a clinical entry that is corrected by marking it, never by deleting it (vitals, medications;
 * PROTOCOL §2b): it stays in history, and FHIR shows it as entered-in-error. Set by an UPDATE only.
 */
export const ENTERED_IN_ERROR_COLUMNS = {
  entered_in_error: { type: 'boolean', required: false, label: 'Entered in error', default: false, since: 3 },
  error_reason: {
    type: 'text',
    required: false,
    label: 'Reason for the error',
    maxLength: ERROR_REASON_MAX_LENGTH,
    since: 3,
  },
} as const satisfies Record<string, ColumnSpec>;
