import { describe, expect, it } from 'vitest';
import { changeForSchemaVersion } from './schema-versions.ts';
import { legacyKindCode, vitalFromLegacyClient } from './legacy-vitals.ts';

describe('vitals of schema versions 1 and 2', () => {
  it.each([
    ['Temp', 'body_temperature'],
    ['  Body-Temperature ', 'body_temperature'],
    ['PULSE', 'heart_rate'],
    ['SpO2', 'oxygen_saturation'],
    ['heart_rate', 'heart_rate'],
    ['Blood sugar', 'blood_glucose'],
    ['BP', 'blood_pressure'],
    ['Mood', undefined],
  ])('reads the kind %j as %s', (text, code) => {
    expect(legacyKindCode(text)).toBe(code);
  });

  it('maps a certain kind and unit to their codes', () => {
    expect(vitalFromLegacyClient({ kind: 'Temp', unit: '°C', value: 38.2 }, undefined)).toEqual({
      kind: 'mapped',
      data: { kind: 'body_temperature', unit: 'Cel', value: 38.2 },
    });
  });

  it('refuses a blood pressure, a unit that is not the kind’s and an unknown kind, naming the field', () => {
    expect(vitalFromLegacyClient({ kind: 'BP', unit: 'mmHg', value: 12080 }, undefined)).toMatchObject({
      kind: 'refused',
      field: 'kind',
    });
    expect(vitalFromLegacyClient({ kind: 'weight', unit: 'lb', value: 150 }, undefined)).toMatchObject({
      kind: 'refused',
      field: 'unit',
    });
    expect(vitalFromLegacyClient({ kind: 'Mood', unit: '', value: 1 }, undefined)).toMatchObject({
      kind: 'refused',
      field: 'kind',
    });
  });

  it('maps an UPDATE of the value alone with the stored kind, and refuses one to a coded blood pressure', () => {
    expect(vitalFromLegacyClient({ value: 37 }, { kind: 'Temp', unit: 'C' })).toEqual({
      kind: 'mapped',
      data: { value: 37, kind: 'body_temperature', unit: 'Cel' },
    });
    expect(vitalFromLegacyClient({ value: 130 }, { kind: 'blood_pressure', unit: 'mm[Hg]' })).toMatchObject({
      kind: 'refused',
    });
    expect(vitalFromLegacyClient({ recorded_at: '2026-01-01T00:00:00Z' }, { kind: 'blood_pressure' })).toMatchObject({
      kind: 'mapped',
    });
  });

  it('pulls to an older client: a blood pressure with both numbers, an entered-in-error entry as deleted', () => {
    const bp = {
      kind: 'blood_pressure',
      value: 120,
      value2: 80,
      unit: 'mm[Hg]',
      entered_in_error: false,
      error_reason: null,
    };
    expect(changeForSchemaVersion('vitals', 'UPSERT', bp, 2)).toEqual({
      op: 'UPSERT',
      data: { kind: 'blood_pressure 120/80', value: 120, unit: 'mm[Hg]' },
    });
    expect(changeForSchemaVersion('vitals', 'UPSERT', bp, 3)).toEqual({ op: 'UPSERT', data: bp });
    expect(changeForSchemaVersion('medications', 'UPSERT', { code: 'x', entered_in_error: true }, 1)).toEqual({
      op: 'DELETE',
      data: null,
    });
    expect(changeForSchemaVersion('medications', 'UPSERT', { code: 'x', entered_in_error: true }, 3)).toMatchObject({
      op: 'UPSERT',
    });
  });
});
