import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from './build-document.ts';
import { operationErrors } from './operation-spec.ts';
import { ERROR_ORDER } from './error-responses.ts';
import { OPERATIONS } from './operations.ts';

describe('the operation table', () => {
  it('has one entry per method and path, with unique operation ids', () => {
    const keys = OPERATIONS.map((op) => `${op.method} ${op.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    const ids = OPERATIONS.map((op) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives examples that the protocol schemas accept', () => {
    for (const op of OPERATIONS) {
      if (op.body)
        expect(op.body.schema.safeParse(op.body.example).error?.issues, `${op.operationId} request`).toBeUndefined();
      if (op.success.schema)
        expect(
          op.success.schema.safeParse(op.success.example).error?.issues,
          `${op.operationId} answer`,
        ).toBeUndefined();
    }
  });

  it('documents token failures on every protected route and never on public ones', () => {
    for (const op of OPERATIONS) {
      const codes = operationErrors(op, ERROR_ORDER);
      if (op.token === 'authToken' || op.token === 'syncToken')
        expect(codes, op.operationId).toEqual(
          expect.arrayContaining(['unauthorized', 'wrong_token_kind', 'token_revoked']),
        );
      if (op.token === 'none') expect(codes, op.operationId).not.toContain('wrong_token_kind');
      expect(codes, op.operationId).toContain('internal');
    }
  });
});

describe('buildOpenApiDocument', () => {
  it('is deterministic', () => {
    expect(JSON.stringify(buildOpenApiDocument())).toBe(JSON.stringify(buildOpenApiDocument()));
  });

  it('follows the protocol schemas instead of copying them', async () => {
    const { pushRequestSchema } = await import('@clinicsync/protocol');
    const doc = buildOpenApiDocument();
    const rendered = doc.components!.schemas!.PushRequest as { properties: Record<string, unknown> };
    expect(Object.keys(rendered.properties).sort()).toEqual(Object.keys(pushRequestSchema.shape).sort());
  });

  it('renders answers as closed objects, so a field the protocol lacks is caught', () => {
    const doc = buildOpenApiDocument();
    expect(doc.components!.schemas!.User).toMatchObject({ additionalProperties: false });
  });
});
