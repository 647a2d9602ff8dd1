/**
 * A `medications` row as a FHIR R4 MedicationStatement. The medication is
 * free text today (no coded formulary), so it travels as `text`; an entry
 * marked entered-in-error keeps its content and carries that status and the reason.
 */
import { compact, patientReference, resourceMeta, text } from './resource-meta.ts';
import type { FhirResource } from './fhir-json.ts';
import type { StoredFhirRow } from './read-fhir-rows.ts';

export function toMedicationStatement(row: StoredFhirRow): FhirResource {
  const enteredInError = Number(row.entered_in_error ?? 0) !== 0;
  const dose = text(row.dose);
  const route = text(row.route);
  const frequency = text(row.frequency);
  const reason = text(row.error_reason);
  return compact({
    resourceType: 'MedicationStatement',
    id: row.id,
    meta: resourceMeta(row),
    // active, stopped and completed are codes of http://hl7.org/fhir/CodeSystem/medication-statement-status.
    status: enteredInError ? 'entered-in-error' : String(row.status),
    medicationCodeableConcept: { text: String(row.code) },
    subject: patientReference(row.patient_id),
    dateAsserted: row.updated_at,
    dosage: [
      compact({
        text: [dose, route, frequency].filter(Boolean).join(', ') || undefined,
        route: route ? { text: route } : undefined,
        timing: frequency ? { code: { text: frequency } } : undefined,
      }),
    ],
    note: enteredInError && reason ? [{ text: reason }] : undefined,
  });
}
