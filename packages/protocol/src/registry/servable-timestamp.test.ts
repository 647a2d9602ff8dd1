import { describe, expect, it } from 'vitest';
import { rowDataSchema } from './row-schema.ts';
import { isServableTimestamp } from './servable-timestamp.ts';
import { appointments } from './appointments.ts';

describe('isServableTimestamp', () => {
  it.each([
    '2026-03-02T09:05:00Z',
    '2026-03-02T09:05:00.123456789Z',
    '0001-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '2026-03-02T09:05:00+14:00',
    '2026-03-02T09:05:00-14:00',
    '2026-03-02T09:05:00+05:45',
    '2026-03-02T09:05:00-00:00',
  ])('takes %s', (value) => expect(isServableTimestamp(value)).toBe(true));

  it.each([
    '0000-01-01T00:00:00Z',
    '2026-03-02T09:05:00.1234567890Z',
    '2026-03-02T09:05:00+14:01',
    '2026-03-02T09:05:00+23:59',
    '2026-03-02T09:05:00-15:00',
    '2026-03-02',
  ])('refuses %s, which FHIR R4 cannot express', (value) => expect(isServableTimestamp(value)).toBe(false));

  it("is part of every timestamp column's schema", () => {
    const schema = rowDataSchema(appointments, 'update');
    expect(schema.safeParse({ starts_at: '2026-03-02T09:05:00Z' }).success).toBe(true);
    expect(schema.safeParse({ starts_at: '0000-01-01T00:00:00Z' }).success).toBe(false);
  });
});
