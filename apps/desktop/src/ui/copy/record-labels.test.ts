import { vitals } from '@clinicsync/protocol';
import { describe, expect, it } from 'vitest';
import { displayValue, recordTitle } from './record-labels.ts';

const temperature = { kind: 'body_temperature', value: 38.9, unit: 'Cel', recorded_at: '2026-12-01T21:00:00.000Z' };

describe('how records read on screen', () => {
  it("names a vital sign's kind and unit as the chart does, not by their codes", () => {
    expect(displayValue(vitals.columns.kind, 'body_temperature', temperature)).toBe('Temperature');
    expect(displayValue(vitals.columns.unit, 'Cel', temperature)).toBe('°C');
    expect(displayValue(vitals.columns.unit, 'mm[Hg]', { kind: 'blood_pressure' })).toBe('mmHg');
    // Without the row, a unit only one kind uses is still known.
    expect(displayValue(vitals.columns.unit, 'Cel')).toBe('°C');
    expect(recordTitle('vitals', temperature)).toBe('Vital sign Temperature');
  });

  it('shows an uncoded entry of an older app as it was typed', () => {
    expect(displayValue(vitals.columns.unit, 'F', { kind: 'temp' })).toBe('F');
    expect(displayValue(vitals.columns.unit, 'Cel', { kind: 'heart_rate' })).toBe('Cel');
  });
});
