/**
 * A tiny JSON-over-HTTP helper for black-box tests: status, parsed body, headers.
 *
 * Every answer it sees is also held to the API reference (`/v1/openapi.json`,
 * built in-process from the protocol's schemas): when the request matches a
 * documented operation, the status must be documented for it and a JSON body
 * must validate against the documented schema (ajv, JSON Schema 2020-12 with
 * formats). Otherwise `call` throws an AssertionError, so every black-box suite
 * doubles as a contract test. The document and validators are built once per
 * process, on first use.
 */
import { AssertionError } from 'node:assert';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { buildOpenApiDocument, type OpenApiDocument } from '../../src/openapi/build-document.ts';

export type JsonResponse<T = any> = { status: number; body: T; headers: Headers };

export type CallOptions = {
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** Skip the reference check, for a server that is not the ClinicSync API (e.g. a stub). */
  skipContract?: boolean;
};

export async function call<T = any>(
  base: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const url = new URL(path, base);
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  let isJson = false;
  try {
    parsed = text ? JSON.parse(text) : undefined;
    isJson = text !== '';
  } catch {
    // Leave non-JSON bodies as text so the assertion shows them.
  }
  if (!options.skipContract) assertMatchesReference(method, url.pathname, { status: res.status, isJson, body: parsed });
  return { status: res.status, body: parsed as T, headers: res.headers };
}

// ---------------------------------------------------------------------------
// The reference check.

const DOCUMENT_ID = 'urn:clinicsync:openapi';
const JSON_MEDIA_TYPE = 'application/json';
/** Keywords OpenAPI 3.1 allows inside schemas besides JSON Schema's own; annotations only. */
const OPENAPI_SCHEMA_KEYWORDS = ['example', 'discriminator', 'xml', 'externalDocs'];
/** The top-level keys of an OpenAPI document, known to ajv so it can hold the document as one schema resource. */
const OPENAPI_DOCUMENT_KEYWORDS = [
  'openapi',
  'info',
  'jsonSchemaDialect',
  'servers',
  'paths',
  'webhooks',
  'components',
  'security',
  'tags',
];

type DocumentedOperation = {
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
  readonly paramCount: number;
};

export type Reference = {
  readonly document: OpenApiDocument;
  readonly ajv: Ajv2020;
  /** The documented operation a request hits, static segments winning over parameters. */
  match(method: string, pathname: string): DocumentedOperation | undefined;
  /** The validator of a documented JSON answer; undefined when the status has no JSON body. */
  responseValidator(op: DocumentedOperation, status: string): ValidateFunction | undefined;
};

/** An ajv (2020-12, formats, strict) that holds the document as one resource, so `#/components/…` references resolve. */
export function createReferenceAjv(document: OpenApiDocument): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats.default(ajv);
  ajv.addVocabulary([...OPENAPI_SCHEMA_KEYWORDS, ...OPENAPI_DOCUMENT_KEYWORDS]);
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  return ajv;
}

/** A JSON pointer into the document, escaped per RFC 6901 and then for a URI fragment. */
export function pointer(...segments: string[]): string {
  return `${DOCUMENT_ID}#/${segments.map((s) => encodeURIComponent(s.replaceAll('~', '~0').replaceAll('/', '~1'))).join('/')}`;
}

function templatePattern(template: string): RegExp {
  const escaped = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${escaped}$`);
}

let reference: Reference | undefined;

/** The process-wide reference, built on first use. */
export function loadReference(): Reference {
  if (reference) return reference;
  const document = buildOpenApiDocument();
  const ajv = createReferenceAjv(document);
  const operations: DocumentedOperation[] = [];
  for (const [template, item] of Object.entries(document.paths ?? {})) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch', 'head', 'options']) {
      if (!(item as Record<string, unknown>)[method]) continue;
      operations.push({
        method,
        template,
        pattern: templatePattern(template),
        paramCount: (template.match(/\{/g) ?? []).length,
      });
    }
  }
  operations.sort((a, b) => a.paramCount - b.paramCount);
  const validators = new Map<string, ValidateFunction | undefined>();
  reference = {
    document,
    ajv,
    match: (method, pathname) =>
      operations.find((op) => op.method === method.toLowerCase() && op.pattern.test(pathname)),
    responseValidator(op, status) {
      const key = `${op.method} ${op.template} ${status}`;
      if (!validators.has(key)) {
        const content = (document.paths?.[op.template] as any)?.[op.method]?.responses?.[status]?.content;
        validators.set(
          key,
          content?.[JSON_MEDIA_TYPE]?.schema
            ? ajv.compile({
                $ref: pointer(
                  'paths',
                  op.template,
                  op.method,
                  'responses',
                  status,
                  'content',
                  JSON_MEDIA_TYPE,
                  'schema',
                ),
              })
            : undefined,
        );
      }
      return validators.get(key);
    },
  };
  return reference;
}

function documentedStatuses(document: OpenApiDocument, op: DocumentedOperation): string[] {
  return Object.keys((document.paths?.[op.template] as any)?.[op.method]?.responses ?? {});
}

/** Throws an AssertionError when an answer to a documented operation is not what the reference says. */
export function assertMatchesReference(
  method: string,
  pathname: string,
  answer: { status: number; isJson: boolean; body: unknown },
): void {
  const ref = loadReference();
  const op = ref.match(method, pathname);
  if (!op) return;
  const where = `${method.toUpperCase()} ${pathname} (documented as ${op.method.toUpperCase()} ${op.template})`;
  const statuses = documentedStatuses(ref.document, op);
  const status = statuses.includes(String(answer.status))
    ? String(answer.status)
    : statuses.includes('default')
      ? 'default'
      : undefined;
  const shown = JSON.stringify(answer.body)?.slice(0, 500);
  if (!status) {
    throw new AssertionError({
      message: `API reference: ${where} answered ${answer.status}, which is not documented (documented: ${statuses.join(', ')}). Body: ${shown}`,
    });
  }
  const validate = ref.responseValidator(op, status);
  if (!validate) return;
  if (!answer.isJson)
    throw new AssertionError({
      message: `API reference: ${where} answered ${answer.status} without a JSON body. Body: ${shown}`,
    });
  if (!validate(answer.body)) {
    const problems = (validate.errors ?? []).map(
      (e) =>
        `${e.instancePath || '(root)'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` '${e.params.additionalProperty}'` : ''}`,
    );
    throw new AssertionError({
      message: `API reference: ${where} answered ${answer.status} with a body that does not match the documented schema:\n  ${problems.join('\n  ')}\nBody: ${shown}`,
    });
  }
}
