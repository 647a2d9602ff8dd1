/**
 * The FHIR R4 routes in the API reference (PROTOCOL §8). FHIR defines its own
 * resources, so these paths are written as plain OpenAPI objects pointing at
 * the HL7 specification rather than restating it; every error under
 * `/fhir/r4/` is an `OperationOutcome`, with the same status codes as the rest
 * of the API. Generated from the same resource list the routes serve.
 */
import type { oas31 } from 'zod-openapi';
import { RESOURCE_TYPE_NAMES } from '../fhir/resource-types.ts';

const BASE = '/v1/orgs/{orgId}/fhir/r4';
const TAG = 'FHIR R4';
const FHIR_JSON = 'application/fhir+json';

const orgId: oas31.ParameterObject = {
  name: 'orgId',
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
};
const id: oas31.ParameterObject = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[A-Za-z0-9\\-.]{1,64}$' },
};
const token: oas31.ParameterObject = {
  name: 'token',
  in: 'path',
  required: true,
  description: 'The signed job token from `Content-Location`.',
  schema: { type: 'string', maxLength: 8192 },
};
/** A FHIR date or dateTime at any precision, as the search parser reads one (fhir/search-params.ts `dateTimeRange`). */
const FHIR_DATE_TIME =
  '\\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\\d|3[01])(T([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?(Z|[+-]([01]\\d|2[0-3]):[0-5]\\d))?)?)?';
const FHIR_ID = '[A-Za-z0-9\\-.]{1,64}';
const TYPE_NAME = `(${RESOURCE_TYPE_NAMES.join('|')})`;

const query = (
  name: string,
  description: string,
  schema: oas31.SchemaObject = { type: 'string' },
): oas31.ParameterObject => ({ name, in: 'query', required: false, description, schema });

const resource = (type: string): oas31.SchemaObject => ({
  type: 'object',
  description: `A FHIR R4 ${type} (https://hl7.org/fhir/R4/${type.toLowerCase()}.html).`,
  required: ['resourceType'],
  properties: { resourceType: { const: type } },
});

const fhirBody = (description: string, schema: oas31.SchemaObject): oas31.ResponseObject => ({
  description,
  content: { [FHIR_JSON]: { schema } },
});
const outcome = (description: string): oas31.ResponseObject =>
  fhirBody(description, { $ref: '#/components/schemas/OperationOutcome' });

/** The refusals every protected FHIR route can answer with. */
const MEMBER_ERRORS: Record<string, oas31.ResponseObject> = {
  '400': outcome(
    'A parameter is malformed, a single-valued one (`_count`, `_format`, `_since`) is given twice, or, with `Prefer: handling=strict`, one is unsupported.',
  ),
  '401': outcome('No valid auth token (missing, expired or revoked).'),
  '403': outcome('Not a member of this organization (an unknown organization answers the same), or a sync token.'),
  '406': outcome('`_format` or `Accept` asks only for a format other than FHIR JSON (e.g. XML).'),
  '500': outcome('Something went wrong on the server; retry.'),
};

const AUTH = [{ authToken: [] }];

function searchOp(type: string): oas31.OperationObject {
  return {
    operationId: `fhirSearch${type}`,
    tags: [TAG],
    summary: `Search ${type}`,
    description: [
      `The organization's live ${type} resources as a \`searchset\` Bundle with \`total\`, ordered by id. Page through \`link[relation=next]\` (its \`_cursor\` is written by the server).`,
      'Unknown parameters are ignored unless the request says `Prefer: handling=strict`. Deleted rows are absent; entries marked entered-in-error are present with that status.',
    ].join('\n\n'),
    security: AUTH,
    parameters: [
      orgId,
      ...(type === 'Patient'
        ? []
        : [query('patient', '`Patient/<id>` or the id.', { type: 'string', pattern: `^(Patient/)?${FHIR_ID}$` })]),
      query(
        '_lastUpdated',
        'Prefix eq, gt, ge, lt, le, sa or eb and a FHIR date/dateTime at any precision; at most twice.',
        { type: 'string', pattern: `^(eq|gt|ge|lt|le|sa|eb)?${FHIR_DATE_TIME}$` },
      ),
      // Up to seven digits are read; more than 1000 pages at 1000.
      query('_count', 'Page size, default 50, at most 1000.', { type: 'integer', minimum: 0, maximum: 9_999_999 }),
      query('_cursor', 'Paging position, from a `next` link.', { type: 'string', pattern: `^${FHIR_ID}$` }),
    ],
    responses: { '200': fhirBody('A page of results.', resource('Bundle')), ...MEMBER_ERRORS },
  };
}

function readOp(type: string): oas31.OperationObject {
  return {
    operationId: `fhirRead${type}`,
    tags: [TAG],
    summary: `Read a ${type}`,
    description: 'The current version, with `ETag` and `meta.versionId`. A deleted row answers 410, an unknown id 404.',
    security: AUTH,
    parameters: [orgId, id],
    responses: {
      '200': fhirBody(`The ${type}.`, resource(type)),
      '404': outcome('No such resource in this organization.'),
      '410': outcome('The resource was deleted.'),
      ...MEMBER_ERRORS,
    },
  };
}

const EXPORT_DESCRIPTION = [
  'Bulk Data kick-off (https://hl7.org/fhir/uv/bulkdata/export.html), for admins of the organization. Requires `Prefer: respond-async`; answers 202 with `Content-Location`, the status URL to poll.',
  "Parameters: `_type` (comma-separated types), `_since` (an instant), `_outputFormat` (`application/fhir+ndjson` only). A resource updated after the answer's `transactionTime` is in the next `_since` export, not this one.",
].join('\n\n');

function exportOp(operationId: string, summary: string): oas31.OperationObject {
  return {
    operationId,
    tags: [TAG],
    summary,
    description: EXPORT_DESCRIPTION,
    security: AUTH,
    parameters: [
      orgId,
      { name: 'Prefer', in: 'header', required: true, schema: { type: 'string', const: 'respond-async' } },
      query('_type', 'Comma-separated resource types.', {
        type: 'string',
        pattern: `^${TYPE_NAME}(,${TYPE_NAME})*$`,
      }),
      query('_since', 'Only resources updated at or after this instant.', {
        type: 'string',
        pattern: `^${FHIR_DATE_TIME}$`,
      }),
      query('_outputFormat', 'application/fhir+ndjson', {
        type: 'string',
        enum: ['application/fhir+ndjson', 'application/ndjson', 'ndjson'],
      }),
    ],
    responses: {
      '202': {
        description: 'Accepted; poll the status URL.',
        headers: { 'Content-Location': { schema: { type: 'string', format: 'uri' } } },
        content: { [FHIR_JSON]: { schema: { $ref: '#/components/schemas/OperationOutcome' } } },
      },
      ...MEMBER_ERRORS,
      '403': outcome('Not an admin of this organization.'),
    },
  };
}

const MANIFEST: oas31.SchemaObject = {
  type: 'object',
  required: ['transactionTime', 'request', 'requiresAccessToken', 'output', 'error'],
  properties: {
    transactionTime: { type: 'string', format: 'date-time' },
    request: { type: 'string' },
    requiresAccessToken: { const: true },
    output: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'url'],
        properties: {
          type: { enum: [...RESOURCE_TYPE_NAMES] },
          url: { type: 'string', format: 'uri' },
          count: { type: 'integer', minimum: 1 },
        },
      },
    },
    error: { type: 'array', maxItems: 0 },
  },
};

const MANIFEST_EXAMPLE = {
  transactionTime: '2026-03-02T09:00:00.000Z',
  request: 'https://clinic.example/v1/orgs/0d6f1a2e-8f4a-4a3e-9c1d-2b7e5f6a7b8c/fhir/r4/$export?_type=Patient',
  requiresAccessToken: true,
  output: [
    {
      type: 'Patient',
      url: 'https://clinic.example/v1/orgs/0d6f1a2e-8f4a-4a3e-9c1d-2b7e5f6a7b8c/fhir/r4/$export-file/eyJv.c2ln/Patient',
      count: 212,
    },
  ],
  error: [],
};

const OPERATION_OUTCOME: oas31.SchemaObject = {
  type: 'object',
  description:
    'A FHIR R4 OperationOutcome (https://hl7.org/fhir/R4/operationoutcome.html): every error under /fhir/r4/.',
  required: ['resourceType', 'issue'],
  properties: {
    resourceType: { const: 'OperationOutcome' },
    issue: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['severity', 'code'],
        properties: {
          severity: { enum: ['fatal', 'error', 'warning', 'information'] },
          code: { type: 'string' },
          diagnostics: { type: 'string' },
        },
      },
    },
  },
};

/** Adds the FHIR paths, their tag and the OperationOutcome schema to a built document. */
export function addFhirPaths(document: oas31.OpenAPIObject): oas31.OpenAPIObject {
  const paths: Record<string, oas31.PathItemObject> = {
    [`${BASE}/metadata`]: {
      get: {
        operationId: 'fhirCapabilityStatement',
        tags: [TAG],
        summary: 'CapabilityStatement',
        description:
          'What this read-only FHIR R4 server offers. Served without a token, so FHIR clients can discover it.',
        security: [],
        parameters: [orgId],
        responses: {
          '200': fhirBody('The CapabilityStatement.', resource('CapabilityStatement')),
          '400': outcome('`_format` is given twice.'),
          '406': MEMBER_ERRORS['406']!,
          '500': MEMBER_ERRORS['500']!,
        },
      },
    },
    [`${BASE}/$export`]: { get: exportOp('fhirExport', 'Export the organization (Bulk Data)') },
    [`${BASE}/Patient/$export`]: {
      get: exportOp('fhirPatientExport', "Export every patient's compartment (Bulk Data)"),
    },
    [`${BASE}/$export-status/{token}`]: {
      get: {
        operationId: 'fhirExportStatus',
        tags: [TAG],
        summary: 'Export status and manifest',
        description:
          'For the admin who started the export, while still admin. The files are written as they are downloaded, so the manifest is ready at once: one NDJSON file per type that has resources, with `count`. Links expire after 24 hours.',
        security: AUTH,
        parameters: [orgId, token],
        responses: {
          '200': {
            description: 'The manifest.',
            content: { 'application/json': { schema: MANIFEST, example: MANIFEST_EXAMPLE } },
          },
          '404': outcome('No such export, an expired one, or one started by someone else.'),
          ...MEMBER_ERRORS,
        },
      },
      delete: {
        operationId: 'fhirExportDelete',
        tags: [TAG],
        summary: 'Delete an export',
        description: 'Accepted; an export holds no server state, and its links expire on their own.',
        security: AUTH,
        parameters: [orgId, token],
        responses: { '202': { description: 'Accepted.' }, '404': outcome('No such export.'), ...MEMBER_ERRORS },
      },
    },
    [`${BASE}/$export-file/{token}/{type}`]: {
      get: {
        operationId: 'fhirExportFile',
        tags: [TAG],
        summary: 'One NDJSON file of an export',
        description: 'Streamed from the database page by page: one resource per line.',
        security: AUTH,
        parameters: [
          orgId,
          token,
          { name: 'type', in: 'path', required: true, schema: { enum: [...RESOURCE_TYPE_NAMES] } },
        ],
        responses: {
          '200': { description: 'NDJSON.', content: { 'application/fhir+ndjson': { schema: { type: 'string' } } } },
          '404': outcome('No such export or file.'),
          ...MEMBER_ERRORS,
        },
      },
    },
    [`${BASE}/Patient/{id}/$everything`]: {
      get: {
        operationId: 'fhirPatientEverything',
        tags: [TAG],
        summary: "A patient's whole record",
        description:
          'The Patient and every Appointment, Observation and MedicationStatement of theirs, as one `searchset` Bundle. `_since` limits it to what changed since an instant.',
        security: AUTH,
        parameters: [orgId, id, query('_since', 'An instant.', { type: 'string', pattern: `^${FHIR_DATE_TIME}$` })],
        responses: {
          '200': fhirBody('The record.', resource('Bundle')),
          '404': outcome('No such patient.'),
          '410': outcome('The patient was deleted.'),
          ...MEMBER_ERRORS,
        },
      },
    },
  };
  for (const type of RESOURCE_TYPE_NAMES) {
    paths[`${BASE}/${type}`] = { get: searchOp(type) };
    paths[`${BASE}/${type}/{id}`] = { get: readOp(type) };
  }
  return {
    ...document,
    tags: [
      ...(document.tags ?? []),
      {
        name: TAG,
        description: "The organization's records as FHIR R4, read-only (PROTOCOL §8); errors are OperationOutcomes.",
      },
    ],
    paths: { ...document.paths, ...paths },
    components: {
      ...document.components,
      schemas: { ...document.components?.schemas, OperationOutcome: OPERATION_OUTCOME },
    },
  };
}
