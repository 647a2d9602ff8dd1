/**
 * A `patients` row as a FHIR R4 Patient. The identifier is the clinic number
 * (schema version 3), namespaced by the organization so two clinics' numbers
 * never read as one; notes stay out (free text that is not demographics).
 */
import { compact, resourceMeta, text } from './resource-meta.ts';
import type { FhirResource } from './fhir-json.ts';
import type { StoredFhirRow } from './read-fhir-rows.ts';

/** The identifier system of an organization's clinic numbers. */
export function clinicNumberSystem(organizationId: string): string {
  return `urn:uuid:${organizationId}`;
}

export function toPatient(row: StoredFhirRow): FhirResource {
  const given = text(row.given_name);
  const family = text(row.family_name);
  const identifier = text(row.identifier);
  return compact({
    resourceType: 'Patient',
    id: row.id,
    meta: resourceMeta(row),
    identifier: identifier
      ? [
          {
            use: 'usual',
            type: {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/v2-0203',
                  code: 'MR',
                  display: 'Medical record number',
                },
              ],
              text: 'Clinic number',
            },
            system: clinicNumberSystem(String(row.organization_id)),
            value: identifier,
          },
        ]
      : undefined,
    active: true,
    name: [
      compact({
        use: 'official',
        family,
        // Split on the words, not the blanks around them: an empty given name is not valid FHIR.
        given: given ? given.trim().split(/\s+/) : undefined,
        text: [given, family].filter(Boolean).join(' ') || undefined,
      }),
    ],
    gender: text(row.sex),
    birthDate: text(row.birth_date),
    telecom: text(row.phone) ? [{ system: 'phone', value: text(row.phone) }] : undefined,
    address: text(row.address) ? [{ text: text(row.address) }] : undefined,
  });
}
