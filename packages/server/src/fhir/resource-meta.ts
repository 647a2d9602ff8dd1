/** The parts every ClinicSync FHIR resource shares: id, meta and references (FHIR R4 Resource, Reference). */
import type { StoredFhirRow } from './read-fhir-rows.ts';

export function resourceMeta(row: StoredFhirRow, profile?: string) {
  return {
    versionId: String(row.version),
    lastUpdated: row.updated_at,
    ...(profile ? { profile: [profile] } : {}),
  };
}

export function patientReference(patientId: unknown) {
  return { reference: `Patient/${String(patientId)}` };
}

/** C0 controls other than tab, LF and CR, which no FHIR string may hold (R4 §2.24.0.1). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding these characters is what it is for.
const NOT_IN_FHIR_STRINGS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;

/**
 * The row with every text value representable as a FHIR string: a control character a device stored
 * (the sync protocol takes any storable text) becomes U+FFFD, the mark of a character that could not be
 * carried, rather than being dropped unseen or making the resource invalid.
 */
export function fhirTextRow(row: StoredFhirRow): StoredFhirRow {
  const out: Record<string, unknown> = { ...row };
  for (const [key, value] of Object.entries(row))
    if (typeof value === 'string') out[key] = value.replace(NOT_IN_FHIR_STRINGS, '\ufffd');
  return out as StoredFhirRow;
}

/** A text column as FHIR wants it: absent when empty (FHIR forbids empty strings). */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** Drops `undefined` members so the JSON has no empty keys (FHIR forbids nulls and empty objects). */
export function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
