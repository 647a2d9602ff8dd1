/** The FHIR resource types this server serves, each backed by one registry table and one mapper (PROTOCOL §8). */
import type { TableName } from '@clinicsync/protocol';
import { toAppointment } from './appointment-resource.ts';
import type { FhirResource } from './fhir-json.ts';
import { toMedicationStatement } from './medication-statement-resource.ts';
import { toObservation } from './observation-resource.ts';
import { toPatient } from './patient-resource.ts';
import type { StoredFhirRow } from './read-fhir-rows.ts';
import { fhirTextRow } from './resource-meta.ts';

export type ResourceType = 'Patient' | 'Appointment' | 'Observation' | 'MedicationStatement';

export type ResourceTypeSpec = {
  readonly table: TableName;
  readonly toResource: (row: StoredFhirRow) => FhirResource;
  /** The search parameters that name the patient, as R4 defines them for the type (`subject` is always a Patient here). */
  readonly patientParams: readonly string[];
};

/** Every served resource (read, search, `$everything`, export) is mapped here, from a row whose text FHIR can carry. */
const served =
  (map: (row: StoredFhirRow) => FhirResource) =>
  (row: StoredFhirRow): FhirResource =>
    map(fhirTextRow(row));

/** In the order a patient's record reads: the person, then visits, measurements, medicines. */
export const RESOURCE_TYPES: Readonly<Record<ResourceType, ResourceTypeSpec>> = {
  Patient: { table: 'patients', toResource: served(toPatient), patientParams: [] },
  Appointment: { table: 'appointments', toResource: served(toAppointment), patientParams: ['patient'] },
  Observation: { table: 'vitals', toResource: served(toObservation), patientParams: ['patient', 'subject'] },
  MedicationStatement: {
    table: 'medications',
    toResource: served(toMedicationStatement),
    patientParams: ['patient', 'subject'],
  },
};

export const RESOURCE_TYPE_NAMES = Object.keys(RESOURCE_TYPES) as readonly ResourceType[];

export function isResourceType(name: string): name is ResourceType {
  return Object.hasOwn(RESOURCE_TYPES, name);
}
