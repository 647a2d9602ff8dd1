import { VITAL_KIND_CODES, VITAL_KINDS } from '@clinicsync/protocol';
import { describe, expect, it } from 'vitest';
import { toLocalInput } from './form-values.ts';
import { formatVital, normalRangeText, readVital, recordedAtProblem } from './vital-entry.ts';

const NOW = new Date('2026-12-01T12:00:00Z');

describe('reading a vital sign as typed', () => {
  it('reads a decimal comma or point and a blood pressure as two numbers', () => {
    expect(readVital('body_temperature', '38,2', NOW)).toEqual({
      kind: 'valid',
      value: 38.2,
      value2: null,
      flags: ['above normal'],
    });
    expect(readVital('blood_pressure', '120/80', NOW)).toEqual({ kind: 'valid', value: 120, value2: 80, flags: [] });
  });

  it('takes whole numbers only for a kind counted in whole units, where a fraction is a slip', () => {
    expect(readVital('heart_rate', '72.5', NOW)).toEqual({
      kind: 'invalid',
      message: 'Enter a whole number in beats/min, e.g. 80.',
    });
    expect(readVital('oxygen_saturation', '97,5', NOW).kind).toBe('invalid');
    expect(readVital('blood_pressure', '120.5/80', NOW)).toEqual({
      kind: 'invalid',
      message: 'Enter whole numbers in mmHg, e.g. 120/80.',
    });
    // A newborn's weight from a gram scale keeps its grams.
    expect(readVital('body_weight', '3,425', NOW)).toMatchObject({ kind: 'valid', value: 3.425 });
  });

  it('refuses a value outside the hard range with the range and its unit', () => {
    expect(readVital('body_temperature', '382', NOW)).toEqual({
      kind: 'invalid',
      message: 'Outside what can be measured (25–45 °C): check the number and its unit.',
    });
  });
});

describe('showing a stored vital sign', () => {
  it('shows every decimal recorded, never a rounded number', () => {
    expect(formatVital({ kind: 'body_weight', value: 3.425, unit: 'kg' })).toBe('3.425 kg');
    expect(formatVital({ kind: 'body_weight', value: 64.25, unit: 'kg' })).toBe('64.25 kg');
    // An older entry with a fraction where the kind counts whole units is shown as stored, not rounded.
    expect(formatVital({ kind: 'heart_rate', value: 72.5, unit: '/min' })).toBe('72.5 beats/min');
    expect(formatVital({ kind: 'body_temperature', value: 37, unit: 'Cel' })).toBe('37.0 °C');
    expect(formatVital({ kind: 'blood_pressure', value: 120, value2: 80, unit: 'mm[Hg]' })).toBe('120/80 mmHg');
  });

  it('shows what it reads: every valid reading is shown as the number typed', () => {
    for (const kind of VITAL_KIND_CODES) {
      const spec = VITAL_KINDS[kind];
      const typed = spec.second ? '118/76' : spec.decimals === 0 ? '75' : '60.125';
      const reading = readVital(kind, typed, NOW);
      if (reading.kind !== 'valid') continue;
      const shown = formatVital({ kind, value: reading.value, value2: reading.value2, unit: spec.unit });
      expect(Number.parseFloat(shown)).toBe(reading.value);
    }
  });
});

describe('the normal range next to a vital sign', () => {
  it('names the adult range with its unit, both values of a blood pressure, nothing where none applies', () => {
    expect(normalRangeText(VITAL_KINDS.body_temperature)).toBe('Normal (adult): 36.1–37.5 °C');
    expect(normalRangeText(VITAL_KINDS.blood_pressure)).toBe('Normal (adult): 90–120 / 60–80 mmHg');
    expect(normalRangeText(VITAL_KINDS.blood_glucose)).toBe('Normal (adult): 3.9–7.8 mmol/L');
    expect(normalRangeText(VITAL_KINDS.body_weight)).toBeNull();
  });
});

describe('when a vital sign was recorded', () => {
  it('applies the server rule: not in the future beyond the clock tolerance', () => {
    expect(recordedAtProblem(toLocalInput(NOW.toISOString()), NOW)).toBeNull();
    expect(recordedAtProblem(toLocalInput('2026-12-01T12:05:00Z'), NOW)).toBeNull();
    expect(recordedAtProblem(toLocalInput('2026-12-01T13:00:00Z'), NOW)).toBe('Cannot be in the future.');
    expect(recordedAtProblem('', NOW)).toBe('Enter a date and time.');
  });
});
