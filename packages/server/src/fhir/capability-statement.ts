/**
 * The CapabilityStatement at `metadata` (served without a token, as FHIR
 * clients discover a server before they authenticate): what this read-only
 * R4 server offers, derived from the same resource list the routes serve.
 */
import { RESOURCE_TYPE_NAMES, RESOURCE_TYPES } from './resource-types.ts';

export const FHIR_VERSION = '4.0.1';

const SEARCH_COMMON = [
  { name: '_lastUpdated', type: 'date', documentation: 'Prefixes eq, gt, ge, lt, le, sa, eb; any precision.' },
  {
    name: '_count',
    type: 'number',
    documentation: 'Page size, default 50, at most 1000; pages chain through the next link.',
  },
] as const;

export function capabilityStatement(options: {
  readonly base: string;
  readonly date: string;
  readonly softwareVersion: string;
}) {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: options.date,
    publisher: 'ClinicSync',
    kind: 'instance',
    software: { name: 'ClinicSync', version: options.softwareVersion },
    implementation: { description: "ClinicSync: an organization's records, read-only", url: options.base },
    fhirVersion: FHIR_VERSION,
    format: ['application/fhir+json', 'json'],
    instantiates: ['http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data'],
    rest: [
      {
        mode: 'server',
        documentation:
          "Read-only. Every request but this one needs the auth token of a member of the organization; $export needs an admin's.",
        security: {
          cors: false,
          service: [
            {
              coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'OAuth' }],
              text: 'Bearer auth token',
            },
          ],
          description: 'Authorization: Bearer <auth token> from POST /v1/auth/sign-in.',
        },
        resource: RESOURCE_TYPE_NAMES.map((type) => ({
          type,
          profile: `http://hl7.org/fhir/StructureDefinition/${type}`,
          ...(type === 'Observation'
            ? { supportedProfile: ['http://hl7.org/fhir/StructureDefinition/vitalsigns'] }
            : {}),
          interaction: [{ code: 'read' }, { code: 'search-type' }],
          versioning: 'versioned',
          readHistory: false,
          searchParam: [
            ...RESOURCE_TYPES[type].patientParams.map((name) => ({
              name,
              type: 'reference',
              documentation: 'Patient/<id> or the id.',
            })),
            ...SEARCH_COMMON,
          ],
          ...(type === 'Patient'
            ? {
                operation: [
                  { name: 'everything', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything' },
                  { name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export' },
                ],
              }
            : {}),
        })),
        operation: [{ name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export' }],
      },
    ],
  };
}
