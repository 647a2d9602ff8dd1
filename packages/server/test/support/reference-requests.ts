/**
 * Requests built from the API reference alone, as a generated client or a
 * fuzzer builds them: for one documented operation, path and query parameters,
 * headers and a JSON body drawn from the document's schemas
 * (schema-arbitrary.ts). `fixed` pins parameters to values of the test's own
 * world (an organization that exists, the token's device), the way a client
 * fills in what it knows.
 */
import fc from 'fast-check';
import type { OpenApiDocument } from '../../src/openapi/build-document.ts';
import { arbitraryFromSchema, resolveRef, type JsonSchema } from './schema-arbitrary.ts';

export type DocumentedOperation = {
  readonly method: string;
  readonly template: string;
  readonly operation: Record<string, any>;
};

export type BuiltRequest = {
  /** Path and query string, parameters filled in. */
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
};

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** Every operation of the document, in document order. */
export function documentedOperations(document: OpenApiDocument): DocumentedOperation[] {
  return Object.entries(document.paths ?? {}).flatMap(([template, item]) =>
    HTTP_METHODS.filter((method) => (item as Record<string, unknown>)[method]).map((method) => ({
      method,
      template,
      operation: (item as Record<string, any>)[method],
    })),
  );
}

/** The token kinds an operation accepts, from its `security` (empty: none needed). */
export function securityOf(op: DocumentedOperation): string[] {
  return ((op.operation.security ?? []) as Record<string, unknown>[]).flatMap((requirement) =>
    Object.keys(requirement),
  );
}

function parameterValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** An arbitrary of requests to `op`, every value valid by the document; `fixed` overrides parameters by name. */
export function requestArbitrary(
  document: OpenApiDocument,
  op: DocumentedOperation,
  fixed: Readonly<Record<string, string>> = {},
): fc.Arbitrary<BuiltRequest> {
  const parameters = ((op.operation.parameters ?? []) as JsonSchema[]).map((p) =>
    typeof p.$ref === 'string' ? resolveRef(document, p.$ref) : p,
  );
  const drawn = parameters.map((p) => {
    const name = p.name as string;
    const value =
      name in fixed
        ? fc.constant(fixed[name])
        : arbitraryFromSchema(document, p.schema as JsonSchema).map(parameterValue);
    // Optional parameters come and go, as a client sends them or not.
    return p.required ? value : fc.option(value, { nil: undefined });
  });
  const bodySchema = op.operation.requestBody?.content?.['application/json']?.schema as JsonSchema | undefined;
  const body = bodySchema ? arbitraryFromSchema(document, bodySchema) : fc.constant(undefined);
  return fc.tuple(fc.tuple(...drawn), body).map(([values, bodyValue]) => {
    let path = op.template;
    const query = new URLSearchParams();
    const headers: Record<string, string> = {};
    parameters.forEach((p, i) => {
      const value = values[i];
      if (value === undefined) return;
      const name = p.name as string;
      if (p.in === 'path') path = path.replace(`{${name}}`, encodeURIComponent(value));
      else if (p.in === 'query') query.set(name, value);
      else if (p.in === 'header') headers[name] = value;
    });
    const search = query.toString();
    return { url: search ? `${path}?${search}` : path, headers, ...(bodySchema ? { body: bodyValue } : {}) };
  });
}
