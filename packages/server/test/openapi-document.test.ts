/**
 * The API reference is a valid OpenAPI 3.1 document whose every schema
 * compiles and whose every example satisfies its own schema.
 */
import { ERROR_STATUS, type ErrorCode } from '@clinicsync/protocol';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../src/openapi/build-document.ts';
import { createReferenceAjv, pointer } from './support/http-client.ts';

const doc = buildOpenApiDocument();
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Every route PROTOCOL.md lists (plus the service routes), as the reference must name them. */
const PROTOCOL_ROUTES = [
  'POST /v1/auth/register',
  'POST /v1/auth/sign-in',
  'POST /v1/auth/refresh',
  'POST /v1/auth/sign-out',
  'GET /v1/me',
  'GET /v1/devices',
  'DELETE /v1/devices/{deviceId}',
  'POST /v1/orgs/{orgId}/invitations',
  'GET /v1/orgs/{orgId}/invitations',
  'DELETE /v1/orgs/{orgId}/invitations/{invitationId}',
  'GET /v1/invitations',
  'POST /v1/invitations/{invitationId}/accept',
  'POST /v1/invitations/{invitationId}/decline',
  'POST /v1/sync/push',
  'GET /v1/sync/pull',
  'GET /v1/sync/schema',
  'GET /v1/orgs/{orgId}/devices',
  'DELETE /v1/orgs/{orgId}/devices/{deviceId}',
  'GET /v1/orgs/{orgId}/audit',
  'GET /healthz',
  'GET /v1/openapi.json',
];

const x = { '^x-': {} };
const str = { type: 'string' };
const strings = { type: 'array', items: str };
const orRef = (def: string) => ({
  if: { type: 'object', required: ['$ref'] },
  then: { $ref: '#/$defs/reference' },
  else: { $ref: `#/$defs/${def}` },
});
const mapOf = (schema: object) => ({ type: 'object', additionalProperties: schema });

/**
 * A compact JSON Schema of OpenAPI 3.1 (spec §4.8): every object the reference
 * uses, closed (`unevaluatedProperties: false`) so a misspelt or misplaced key
 * fails, with the rules that matter: required fields, path parameters being
 * required, response keys being status codes, http schemes naming their scheme.
 */
const OPENAPI_31_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['openapi', 'info'],
  anyOf: [{ required: ['paths'] }, { required: ['components'] }, { required: ['webhooks'] }],
  properties: {
    openapi: { type: 'string', pattern: '^3\\.1\\.\\d+(-.+)?$' },
    info: { $ref: '#/$defs/info' },
    jsonSchemaDialect: { type: 'string', format: 'uri' },
    servers: { type: 'array', items: { $ref: '#/$defs/server' } },
    paths: { $ref: '#/$defs/paths' },
    webhooks: mapOf(orRef('pathItem')),
    components: { $ref: '#/$defs/components' },
    security: { type: 'array', items: { $ref: '#/$defs/securityRequirement' } },
    tags: { type: 'array', items: { $ref: '#/$defs/tag' } },
    externalDocs: { $ref: '#/$defs/externalDocs' },
  },
  patternProperties: x,
  unevaluatedProperties: false,
  $defs: {
    info: {
      type: 'object',
      required: ['title', 'version'],
      properties: {
        title: str,
        summary: str,
        description: str,
        termsOfService: { type: 'string', format: 'uri' },
        contact: { type: 'object' },
        license: { type: 'object', required: ['name'] },
        version: str,
      },
      patternProperties: x,
      unevaluatedProperties: false,
    },
    server: {
      type: 'object',
      required: ['url'],
      properties: { url: str, description: str, variables: { type: 'object' } },
      patternProperties: x,
      unevaluatedProperties: false,
    },
    externalDocs: {
      type: 'object',
      required: ['url'],
      properties: { description: str, url: { type: 'string', format: 'uri' } },
      patternProperties: x,
      unevaluatedProperties: false,
    },
    tag: {
      type: 'object',
      required: ['name'],
      properties: { name: str, description: str, externalDocs: { $ref: '#/$defs/externalDocs' } },
      patternProperties: x,
      unevaluatedProperties: false,
    },
    reference: {
      type: 'object',
      required: ['$ref'],
      properties: { $ref: { type: 'string', format: 'uri-reference' }, summary: str, description: str },
      unevaluatedProperties: false,
    },
    schema: { type: ['object', 'boolean'] },
    paths: {
      type: 'object',
      patternProperties: { '^/': { $ref: '#/$defs/pathItem' }, ...x },
      additionalProperties: false,
    },
    pathItem: {
      type: 'object',
      properties: {
        $ref: str,
        summary: str,
        description: str,
        servers: { type: 'array', items: { $ref: '#/$defs/server' } },
        parameters: { type: 'array', items: orRef('parameter') },
        ...Object.fromEntries(METHODS.map((m) => [m, { $ref: '#/$defs/operation' }])),
      },
      patternProperties: x,
      unevaluatedProperties: false,
    },
    operation: {
      type: 'object',
      required: ['responses'],
      properties: {
        tags: strings,
        summary: str,
        description: str,
        externalDocs: { $ref: '#/$defs/externalDocs' },
        operationId: str,
        parameters: { type: 'array', items: orRef('parameter') },
        requestBody: orRef('requestBody'),
        responses: { $ref: '#/$defs/responses' },
        callbacks: { type: 'object' },
        deprecated: { type: 'boolean' },
        security: { type: 'array', items: { $ref: '#/$defs/securityRequirement' } },
        servers: { type: 'array', items: { $ref: '#/$defs/server' } },
      },
      patternProperties: x,
      unevaluatedProperties: false,
    },
    parameter: {
      type: 'object',
      required: ['name', 'in'],
      properties: {
        name: str,
        in: { enum: ['query', 'header', 'path', 'cookie'] },
        description: str,
        required: { type: 'boolean' },
        deprecated: { type: 'boolean' },
        allowEmptyValue: { type: 'boolean' },
        style: str,
        explode: { type: 'boolean' },
        allowReserved: { type: 'boolean' },
        schema: { $ref: '#/$defs/schema' },
        example: true,
        examples: mapOf(orRef('example')),
        content: { $ref: '#/$defs/content' },
      },
      oneOf: [{ required: ['schema'] }, { required: ['content'] }],
      if: { properties: { in: { const: 'path' } } },
      then: { required: ['required'], properties: { required: { const: true } } },
      patternProperties: x,
      unevaluatedProperties: false,
    },
    requestBody: {
      type: 'object',
      required: ['content'],
      properties: { description: str, content: { $ref: '#/$defs/content' }, required: { type: 'boolean' } },
      patternProperties: x,
      unevaluatedProperties: false,
    },
    content: mapOf({ $ref: '#/$defs/mediaType' }),
    mediaType: {
      type: 'object',
      properties: {
        schema: { $ref: '#/$defs/schema' },
        example: true,
        examples: mapOf(orRef('example')),
        encoding: { type: 'object' },
      },
      patternProperties: x,
      unevaluatedProperties: false,
    },
    example: {
      type: 'object',
      properties: {
        summary: str,
        description: str,
        value: true,
        externalValue: { type: 'string', format: 'uri-reference' },
      },
      not: { required: ['value', 'externalValue'] },
      patternProperties: x,
      unevaluatedProperties: false,
    },
    responses: {
      type: 'object',
      minProperties: 1,
      properties: { default: orRef('response') },
      patternProperties: { '^[1-5](?:[0-9]{2}|XX)$': orRef('response'), ...x },
      additionalProperties: false,
    },
    response: {
      type: 'object',
      required: ['description'],
      properties: {
        description: str,
        headers: mapOf(orRef('header')),
        content: { $ref: '#/$defs/content' },
        links: { type: 'object' },
      },
      patternProperties: x,
      unevaluatedProperties: false,
    },
    header: {
      type: 'object',
      properties: {
        description: str,
        required: { type: 'boolean' },
        deprecated: { type: 'boolean' },
        schema: { $ref: '#/$defs/schema' },
        content: { $ref: '#/$defs/content' },
        style: { const: 'simple' },
        explode: { type: 'boolean' },
        example: true,
        examples: mapOf(orRef('example')),
      },
      oneOf: [{ required: ['schema'] }, { required: ['content'] }],
      patternProperties: x,
      unevaluatedProperties: false,
    },
    securityScheme: {
      type: 'object',
      required: ['type'],
      properties: {
        type: { enum: ['apiKey', 'http', 'mutualTLS', 'oauth2', 'openIdConnect'] },
        description: str,
        name: str,
        in: { enum: ['query', 'header', 'cookie'] },
        scheme: str,
        bearerFormat: str,
        flows: { type: 'object' },
        openIdConnectUrl: { type: 'string', format: 'uri' },
      },
      if: { properties: { type: { const: 'http' } } },
      then: { required: ['scheme'] },
      patternProperties: x,
      unevaluatedProperties: false,
    },
    securityRequirement: mapOf(strings),
    components: {
      type: 'object',
      properties: {
        schemas: mapOf({ $ref: '#/$defs/schema' }),
        responses: mapOf(orRef('response')),
        parameters: mapOf(orRef('parameter')),
        examples: mapOf(orRef('example')),
        requestBodies: mapOf(orRef('requestBody')),
        headers: mapOf(orRef('header')),
        securitySchemes: mapOf(orRef('securityScheme')),
        links: { type: 'object' },
        callbacks: { type: 'object' },
        pathItems: mapOf(orRef('pathItem')),
      },
      patternProperties: x,
      unevaluatedProperties: false,
    },
  },
};

function structureValidator() {
  // `required` inside anyOf/if names properties declared at the level above, which strict mode would flag.
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats.default(ajv);
  return ajv.compile(OPENAPI_31_SCHEMA);
}

type Operation = { method: string; path: string; op: any };
function operations(): Operation[] {
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((m) => (item as any)[m]).map((method) => ({ method, path, op: (item as any)[method] })),
  );
}

function resolvePointer(ref: string): unknown {
  return ref
    .slice(2)
    .split('/')
    .map((s) => decodeURIComponent(s).replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<any>((node, key) => (node === undefined ? undefined : node[key]), doc);
}

function allRefs(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) allRefs(n, found);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') found.push(v);
      else allRefs(v, found);
    }
  }
  return found;
}

/** FHIR routes (PROTOCOL §8) answer FHIR media types and OperationOutcome errors. */
const isFhir = (path: string) => path.includes('/fhir/r4/');

describe('the OpenAPI document', () => {
  it('validates against the OpenAPI 3.1 structure', () => {
    const validate = structureValidator();
    const valid = validate(doc);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 1)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the structure check can fail: a misplaced key and a path parameter that is not required are refused', () => {
    const validate = structureValidator();
    const broken = structuredClone(doc) as any;
    broken.paths['/v1/me'].get.response = broken.paths['/v1/me'].get.responses;
    expect(validate(broken)).toBe(false);
    const optionalPathParam = structuredClone(doc) as any;
    optionalPathParam.paths['/v1/devices/{deviceId}'].delete.parameters[0].required = false;
    expect(validate(optionalPathParam)).toBe(false);
  });

  it('names every route of the protocol', () => {
    const documented = operations().map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(documented).toEqual(expect.arrayContaining(PROTOCOL_ROUTES));
  });

  it('resolves every $ref', () => {
    const refs = allRefs(doc);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((ref) => !ref.startsWith('#/') || resolvePointer(ref) === undefined)).toEqual([]);
  });

  it('gives every operation an id, a tag, a summary and at least one success and one error response', () => {
    const ids = new Set<string>();
    for (const { method, path, op } of operations()) {
      const where = `${method} ${path}`;
      expect(op.operationId, where).toMatch(/^[a-zA-Z]+$/);
      expect(ids.has(op.operationId), where).toBe(false);
      ids.add(op.operationId);
      expect(op.tags?.length, where).toBe(1);
      expect(op.summary, where).toBeTruthy();
      const statuses = Object.keys(op.responses);
      expect(
        statuses.some((s) => s.startsWith('2')),
        where,
      ).toBe(true);
      expect(statuses, where).toContain('500');
    }
  });

  it('declares each path template parameter as a required path parameter, and no others', () => {
    for (const { method, path, op } of operations()) {
      const inTemplate = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const declared = (op.parameters ?? []).filter((p: any) => p.in === 'path');
      expect(declared.map((p: any) => p.name).sort(), `${method} ${path}`).toEqual(inTemplate);
      for (const p of declared) expect(p.required, `${method} ${path} ${p.name}`).toBe(true);
    }
  });

  it('compiles every JSON body schema under JSON Schema 2020-12 and every example satisfies its schema', () => {
    const ajv = createReferenceAjv(doc);
    let checked = 0;
    for (const { method, path, op } of operations()) {
      const media: [string[], any][] = [];
      if (op.requestBody)
        media.push([
          ['paths', path, method, 'requestBody', 'content', 'application/json'],
          op.requestBody.content['application/json'],
        ]);
      for (const [status, response] of Object.entries<any>(op.responses)) {
        for (const [type, content] of Object.entries<any>(response.content ?? {})) {
          if (type === 'application/json')
            media.push([['paths', path, method, 'responses', status, 'content', type], content]);
          else if (isFhir(path))
            expect(type, `${method} ${path} ${status}`).toMatch(/^application\/fhir\+(json|ndjson)$/);
          else expect(type, `${method} ${path} ${status}`).toMatch(/^text\//);
        }
      }
      for (const [at, content] of media) {
        const where = at.join(' ');
        expect(content.schema, where).toBeDefined();
        const validate = ajv.compile({ $ref: pointer(...at, 'schema') });
        const examples = [
          ...(content.example !== undefined ? [content.example] : []),
          ...Object.values<any>(content.examples ?? {}).map((e) => e.value),
        ];
        expect(examples.length, `${where} has no example`).toBeGreaterThan(0);
        for (const example of examples) {
          expect(validate(example) ? [] : validate.errors, where).toEqual([]);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('lists under each error status only codes that ERROR_STATUS maps to that status', () => {
    for (const { method, path, op } of operations()) {
      for (const [status, response] of Object.entries<any>(op.responses)) {
        if (Number(status) < 400) continue;
        if (isFhir(path)) {
          // FHIR answers errors as OperationOutcome (PROTOCOL §8), not the API's error shape.
          expect(response.content['application/fhir+json'].schema, `${method} ${path} ${status}`).toEqual({
            $ref: '#/components/schemas/OperationOutcome',
          });
          continue;
        }
        const codes: ErrorCode[] = response.content['application/json'].schema.properties.error.properties.code.enum;
        expect(codes.length, `${method} ${path} ${status}`).toBeGreaterThan(0);
        for (const code of codes) expect(ERROR_STATUS[code], `${method} ${path} ${code}`).toBe(Number(status));
      }
    }
  });

  it('defines the auth and sync bearer schemes and uses only defined schemes', () => {
    const schemes = doc.components?.securitySchemes ?? {};
    expect(schemes.authToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes.syncToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    const used = new Set(
      operations().flatMap(({ op }) => (op.security ?? []).flatMap((req: object) => Object.keys(req))),
    );
    expect([...used].filter((name) => !(name in schemes))).toEqual([]);
    expect(used).toEqual(new Set(['authToken', 'syncToken', 'metricsToken']));
  });

  it('puts sync routes behind the sync token and every other protected route behind the auth token', () => {
    for (const { method, path, op } of operations()) {
      const names = (op.security ?? []).flatMap((req: object) => Object.keys(req));
      if (path === '/v1/sync/push' || path === '/v1/sync/pull')
        expect(names, `${method} ${path}`).toEqual(['syncToken']);
      else if (names.length > 0 && path !== '/metrics') expect(names, `${method} ${path}`).toEqual(['authToken']);
      if (names.includes('authToken') || names.includes('syncToken')) {
        expect(op.responses['401'], `${method} ${path}`).toBeDefined();
        if (isFhir(path))
          expect(op.responses['403'].content['application/fhir+json'], `${method} ${path}`).toBeDefined();
        else
          expect(
            op.responses['403'].content['application/json'].schema.properties.error.properties.code.enum,
            `${method} ${path}`,
          ).toContain('wrong_token_kind');
      }
    }
  });
});
