/**
 * Every answer carries `X-Request-Id` (app.ts's `requestId` middleware, on
 * errors too; the Node bin's JSON answers to unreadable requests make one up):
 * the id the server logs the request under, to quote to an operator. A client
 * may send its own (up to 64 characters of `A-Za-z0-9_=-`) and gets it back.
 * Added to every response of the document, FHIR's included, as one shared header.
 */
import type { oas31 } from 'zod-openapi';

export const REQUEST_ID_HEADER = 'X-Request-Id';

const HEADER: oas31.HeaderObject = {
  description:
    'The id the server logged this request under; quote it when reporting a problem. The one the client sent (at most 64 characters of `A-Za-z0-9_=-`), else a new UUID.',
  required: true,
  schema: { type: 'string', pattern: '^[A-Za-z0-9_=-]{1,64}$' },
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

/** A copy of `doc` whose every response documents `X-Request-Id`. */
export function withRequestIdHeader(doc: oas31.OpenAPIObject): oas31.OpenAPIObject {
  const ref = { $ref: `#/components/headers/${REQUEST_ID_HEADER}` };
  const paths = Object.fromEntries(
    Object.entries(doc.paths ?? {}).map(([path, item]) => {
      const next: Record<string, unknown> = { ...item };
      for (const method of METHODS) {
        const op = item[method];
        if (!op?.responses) continue;
        const responses = Object.fromEntries(
          Object.entries(op.responses).map(([status, response]) => [
            status,
            '$ref' in response ? response : { ...response, headers: { [REQUEST_ID_HEADER]: ref, ...response.headers } },
          ]),
        );
        next[method] = { ...op, responses };
      }
      return [path, next];
    }),
  );
  return {
    ...doc,
    paths: paths as oas31.PathsObject,
    components: { ...doc.components, headers: { ...doc.components?.headers, [REQUEST_ID_HEADER]: HEADER } },
  };
}
