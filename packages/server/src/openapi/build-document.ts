/**
 * Builds the OpenAPI 3.1 reference from the protocol's zod schemas (through
 * zod-openapi) and the operation table. Nothing here restates a schema: change
 * a schema in `packages/protocol` and the reference follows.
 */
import {
  auditEntrySchema,
  auditResponseSchema,
  changeSchema,
  cursorSchema,
  deviceIdSchema,
  devicesResponseSchema,
  errorBodySchema,
  eventIdSchema,
  eventResultSchema,
  meResponseSchema,
  organizationIdSchema,
  orgDeviceSchema,
  orgDevicesResponseSchema,
  outboxReportSchema,
  pullResponseSchema,
  documentedPushEventSchema,
  documentedPushRequestSchema,
  pushResponseSchema,
  refreshRequestSchema,
  refreshResponseSchema,
  registerRequestSchema,
  registerResponseSchema,
  schemaResponseSchema,
  signInRequestSchema,
  signInResponseSchema,
  timestampSchema,
  userIdSchema,
  userSchema,
} from '@clinicsync/protocol';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import type { oas31 } from 'zod-openapi';
import { ERROR_ORDER, errorResponses } from './error-responses.ts';
import { operationErrors, TAGS, type OperationSpec, type TokenKind } from './operation-spec.ts';
import { OPERATIONS } from './operations.ts';
import { tidyComponents } from './tidy-components.ts';
import { addFhirPaths } from './fhir-paths.ts';
import { withRequestIdHeader } from './request-id-header.ts';

export type OpenApiDocument = oas31.OpenAPIObject;

/** Named schemas: each appears once under `components.schemas` and is referenced wherever the protocol reuses it. */
const COMPONENT_SCHEMAS = {
  ErrorBody: errorBodySchema,
  Timestamp: timestampSchema,
  UserId: userIdSchema,
  DeviceId: deviceIdSchema,
  OrganizationId: organizationIdSchema,
  EventId: eventIdSchema,
  Cursor: cursorSchema,
  User: userSchema,
  RegisterRequest: registerRequestSchema,
  RegisterResponse: registerResponseSchema,
  SignInRequest: signInRequestSchema,
  SignInResponse: signInResponseSchema,
  RefreshRequest: refreshRequestSchema,
  RefreshResponse: refreshResponseSchema,
  MeResponse: meResponseSchema,
  DevicesResponse: devicesResponseSchema,
  OutboxReport: outboxReportSchema,
  // The typed shapes (one per table × op), not the server's lenient envelope: what a client must send.
  PushEvent: documentedPushEventSchema,
  PushRequest: documentedPushRequestSchema,
  EventResult: eventResultSchema,
  PushResponse: pushResponseSchema,
  Change: changeSchema,
  PullResponse: pullResponseSchema,
  SchemaResponse: schemaResponseSchema,
  OrgDevice: orgDeviceSchema,
  OrgDevicesResponse: orgDevicesResponseSchema,
  AuditEntry: auditEntrySchema,
  AuditResponse: auditResponseSchema,
};

const SECURITY_SCHEMES = {
  authToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      "The UI session's auth token from sign-in or refresh. Short-lived (15 minutes); accepted by every route except the sync routes.",
  },
  syncToken: {
    type: 'http',
    scheme: 'bearer',
    description:
      "A device's sync token from sign-in: opaque, long-lived, bound to one `deviceId`, revocable. Accepted only by `/v1/sync/push` and `/v1/sync/pull`.",
  },
  metricsToken: {
    type: 'http',
    scheme: 'bearer',
    description: "The operator's metrics token, required by `/metrics` only when the server is configured with one.",
  },
} as const satisfies Record<string, oas31.SecuritySchemeObject>;

const INTRO = [
  'The wire contract between ClinicSync clients and the sync server (PROTOCOL v1). All bodies are JSON; ids are UUIDs; times are ISO-8601 UTC.',
  '',
  'Every error is `{"error": {"code", "message", "details"}}`. Branch on `code`, never on `message`. Each operation lists the codes it can answer with under their HTTP status.',
  '',
  'Two bearer tokens: the **auth token** (UI session) for every route except sync, and the **sync token** (one per device) for push and pull. Presenting the other kind is `403 wrong_token_kind`.',
  '',
  'Every answer, errors included, carries `X-Request-Id`: the id the server logged the request under. A method a documented path does not serve is `405 method_not_allowed` with an `Allow` header listing the ones it does. A request line and headers over 16 KiB are `431 headers_too_large` (a pull cursor is at most 8192 characters, so a pull URL stays well below). An empty query parameter (`?cursor=`) is the same as an absent one, except under `/fhir/r4/`, where FHIR search checks every value given (`_count=` is `400`).',
  '',
  'A guide to writing a client, with the sync loop and a `curl` session, is in `docs/api.md`.',
].join('\n');

function securityFor(token: TokenKind): oas31.SecurityRequirementObject[] {
  switch (token) {
    case 'none':
      return [];
    case 'metricsToken':
      // `{}` makes it optional: servers without a metrics token answer anyone.
      return [{ metricsToken: [] }, {}];
    default:
      return [{ [token]: [] }];
  }
}

function toOperation(op: OperationSpec): ZodOpenApiOperationObject {
  const contentType = op.success.contentType ?? 'application/json';
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    description: op.description,
    security: securityFor(op.token),
    ...(op.pathParams || op.query
      ? {
          requestParams: {
            ...(op.pathParams ? { path: op.pathParams } : {}),
            ...(op.query ? { query: op.query } : {}),
          },
        }
      : {}),
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: op.body.schema, example: op.body.example } },
          },
        }
      : {}),
    responses: {
      [String(op.success.status)]: {
        description: op.success.description,
        ...(op.success.schema
          ? { content: { [contentType]: { schema: op.success.schema, example: op.success.example } } }
          : {}),
      },
      ...errorResponses(operationErrors(op, ERROR_ORDER)),
    },
  };
}

/** The whole reference. Deterministic: the same protocol gives the same document. */
export function buildOpenApiDocument(operations: readonly OperationSpec[] = OPERATIONS): OpenApiDocument {
  const paths: ZodOpenApiPathsObject = {};
  for (const op of operations) paths[op.path] = { ...paths[op.path], [op.method]: toOperation(op) };
  const document = createDocument({
    openapi: '3.1.0',
    info: { title: 'ClinicSync API', version: '1.0.0', description: INTRO },
    tags: TAGS.map((t) => ({ ...t })),
    paths,
    components: { schemas: COMPONENT_SCHEMAS, securitySchemes: SECURITY_SCHEMES },
  });
  // ErrorBody is kept although each response narrows it inline: it is the one shape every error has.
  return withRequestIdHeader(addFhirPaths(tidyComponents(document, { keep: ['ErrorBody'] })));
}
