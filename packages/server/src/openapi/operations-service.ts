/** Reference entries for the routes that serve operators and tools rather than clinics. */
import { z } from 'zod';
import { examples } from './examples.ts';
import type { OperationSpec } from './operation-spec.ts';

/** `GET /healthz` answers this when the database is reachable (PROTOCOL §7). */
export const healthResponseSchema = z.object({ status: z.literal('ok') });

/**
 * The reference itself: only the top of it is pinned here, since its
 * structure is checked against OpenAPI 3.1 by the contract tests.
 */
export const openApiDocumentSchema = z.looseObject({
  openapi: z.string().regex(/^3\.1\.\d+$/),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});

export const serviceOperations: readonly OperationSpec[] = [
  {
    method: 'get',
    path: '/healthz',
    operationId: 'health',
    tag: 'Service',
    summary: 'Liveness and database reachability',
    description: 'For load balancers: 200 when this instance can reach its database, `503 unavailable` otherwise.',
    token: 'none',
    success: { status: 200, description: 'Healthy.', schema: healthResponseSchema, example: examples.health },
    errors: ['unavailable'],
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    tag: 'Service',
    summary: 'Prometheus metrics',
    description:
      'Prometheus text exposition format. Labels carry route patterns and outcomes only, never ids or payload values. When the server is configured with a metrics token, it must be presented as a bearer token.',
    token: 'metricsToken',
    success: {
      status: 200,
      description: 'The metrics.',
      contentType: 'text/plain',
      schema: z.string(),
      example:
        '# HELP clinicsync_http_requests_total HTTP requests by route pattern, method and status.\n# TYPE clinicsync_http_requests_total counter\n',
    },
    errors: [],
  },
  {
    method: 'get',
    path: '/v1/openapi.json',
    operationId: 'getOpenApiDocument',
    tag: 'Service',
    summary: 'This reference as OpenAPI 3.1',
    description: "Generated from the protocol's schemas; a human-readable rendering is served at `/docs`.",
    token: 'none',
    success: {
      status: 200,
      description: 'The OpenAPI document.',
      schema: openApiDocumentSchema,
      example: { openapi: '3.1.0', info: { title: 'ClinicSync API', version: '1' }, paths: {} },
    },
    errors: [],
  },
];
