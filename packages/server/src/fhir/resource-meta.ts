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

/** A text column as FHIR wants it: absent when empty (FHIR forbids empty strings). */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** Drops `undefined` members so the JSON has no empty keys (FHIR forbids nulls and empty objects). */
export function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
