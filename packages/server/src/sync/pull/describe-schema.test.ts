import {
  MIN_SUPPORTED_SCHEMA_VERSION,
  SCHEMA_VERSION,
  schemaResponseSchema,
  schemaTableDescriptionSchema,
  TABLE_NAMES,
} from '@clinicsync/protocol';
import { describe, expect, it } from 'vitest';
import { describeSchema } from './describe-schema.ts';

describe('describeSchema', () => {
  const schema = describeSchema(MIN_SUPPORTED_SCHEMA_VERSION);

  it('states the current and oldest supported schema versions', () => {
    expect(schemaResponseSchema.parse(schema)).toMatchObject({
      current: SCHEMA_VERSION,
      minSupported: MIN_SUPPORTED_SCHEMA_VERSION,
    });
    expect(describeSchema(2)).toMatchObject({ current: SCHEMA_VERSION, minSupported: 2 });
  });

  it('describes the appointment kind as an optional enum of schema version 2', () => {
    const appointments = schemaTableDescriptionSchema.parse(schema.tables.appointments);
    expect(appointments.columns.kind).toEqual({
      type: 'enum',
      required: false,
      label: 'Kind',
      values: ['consultation', 'follow_up', 'vaccination', 'antenatal', 'procedure', 'other'],
      since: 2,
    });
    expect(appointments.columns.reason).toMatchObject({ since: 1 });
    expect(appointments.strict).not.toContain('kind');
  });

  it('lists every registry table, parents first, each in the documented shape', () => {
    expect(Object.keys(schema.tables)).toEqual([...TABLE_NAMES]);
    for (const table of TABLE_NAMES) schemaTableDescriptionSchema.parse(schema.tables[table]);
  });

  it('carries limits, enum values, scope, write roles and strict fields from the registry', () => {
    const patients = schemaTableDescriptionSchema.parse(schema.tables.patients);
    expect(patients.columns.notes).toMatchObject({ type: 'text', required: false, maxLength: 10_000, since: 1 });
    expect(patients.columns.sex).toMatchObject({ type: 'enum', values: ['female', 'male', 'other', 'unknown'] });
    expect(patients.scope).toEqual({ kind: 'column', column: 'organization_id' });
    expect(patients.writeRoles).toEqual(['admin', 'clinician', 'receptionist']);
    expect(patients.strict).toContain('given_name');
    const vitals = schemaTableDescriptionSchema.parse(schema.tables.vitals);
    expect(vitals.scope).toEqual({ kind: 'parent', column: 'patient_id', parent: 'patients' });
    expect(schemaTableDescriptionSchema.parse(schema.tables.members).strict).toBe('all');
  });
});
