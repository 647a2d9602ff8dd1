/** An `appointments` row as a FHIR R4 Appointment: our statuses are FHIR's own codes, the patient its one participant. */
import { compact, patientReference, resourceMeta, text } from './resource-meta.ts';
import type { FhirResource } from './fhir-json.ts';
import type { StoredFhirRow } from './read-fhir-rows.ts';

const KIND_LABELS: Readonly<Record<string, string>> = {
  consultation: 'Consultation',
  follow_up: 'Follow-up',
  vaccination: 'Vaccination',
  antenatal: 'Antenatal',
  procedure: 'Procedure',
  other: 'Other',
};

export function toAppointment(row: StoredFhirRow): FhirResource {
  const start = String(row.starts_at);
  const minutes = Number(row.duration_min);
  const kind = text(row.kind);
  return compact({
    resourceType: 'Appointment',
    id: row.id,
    meta: resourceMeta(row),
    // booked, arrived, fulfilled, cancelled and noshow are all codes of http://hl7.org/fhir/appointmentstatus.
    status: String(row.status),
    appointmentType: kind ? { text: KIND_LABELS[kind] ?? kind } : undefined,
    description: text(row.reason),
    start,
    end: new Date(Date.parse(start) + minutes * 60_000).toISOString(),
    minutesDuration: minutes,
    participant: [{ actor: patientReference(row.patient_id), status: 'accepted' }],
  });
}
