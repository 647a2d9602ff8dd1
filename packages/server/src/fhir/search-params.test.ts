import { describe, expect, it } from 'vitest';
import { FhirError } from './operation-outcome.ts';
import { dateTimeRange, lastUpdatedRange, parseSearch, patientIdParam } from './search-params.ts';

describe('dateTimeRange', () => {
  it('covers a value at its own precision', () => {
    expect(dateTimeRange('2026')).toEqual({ start: '2026-01-01T00:00:00.000Z', end: '2027-01-01T00:00:00.000Z' });
    expect(dateTimeRange('2026-02')).toEqual({ start: '2026-02-01T00:00:00.000Z', end: '2026-03-01T00:00:00.000Z' });
    expect(dateTimeRange('2026-12-31')).toEqual({ start: '2026-12-31T00:00:00.000Z', end: '2027-01-01T00:00:00.000Z' });
    expect(dateTimeRange('2026-03-02T09:05Z')).toEqual({
      start: '2026-03-02T09:05:00.000Z',
      end: '2026-03-02T09:06:00.000Z',
    });
    expect(dateTimeRange('2026-03-02T09:05:07.25Z')).toEqual({
      start: '2026-03-02T09:05:07.250Z',
      end: '2026-03-02T09:05:07.251Z',
    });
  });

  it('turns an offset into UTC', () => {
    expect(dateTimeRange('2026-03-02T12:00:00+03:00')?.start).toBe('2026-03-02T09:00:00.000Z');
    expect(dateTimeRange('2026-03-02T06:30:00-02:30')?.start).toBe('2026-03-02T09:00:00.000Z');
  });

  it('refuses what is not a FHIR date or dateTime', () => {
    for (const bad of ['yesterday', '2026-13', '2026-02-30', '2026-03-02T09:00', '26-01-01', '', '2026-03-02 09:00Z']) {
      expect(dateTimeRange(bad), bad).toBeUndefined();
    }
  });

  it('refuses a time that does not exist instead of rolling it over', () => {
    for (const bad of [
      '2026-03-02T10:60:00Z',
      '2026-03-02T10:60Z',
      '2026-03-02T24:00:00Z',
      '2026-03-02T23:59:60Z',
      '2026-03-02T10:00:00+10:60',
      '2026-03-02T10:00:00+24:00',
    ]) {
      expect(dateTimeRange(bad), bad).toBeUndefined();
    }
  });
});

describe('lastUpdatedRange', () => {
  it('maps each prefix to a half-open range', () => {
    expect(lastUpdatedRange('2026-03-02')).toEqual({
      from: '2026-03-02T00:00:00.000Z',
      to: '2026-03-03T00:00:00.000Z',
    });
    expect(lastUpdatedRange('ge2026-03-02')).toEqual({ from: '2026-03-02T00:00:00.000Z' });
    expect(lastUpdatedRange('gt2026-03-02')).toEqual({ from: '2026-03-03T00:00:00.000Z' });
    expect(lastUpdatedRange('le2026-03-02')).toEqual({ to: '2026-03-03T00:00:00.000Z' });
    expect(lastUpdatedRange('lt2026-03-02')).toEqual({ to: '2026-03-02T00:00:00.000Z' });
    expect(lastUpdatedRange('sa2026')).toEqual({ from: '2027-01-01T00:00:00.000Z' });
    expect(lastUpdatedRange('eb2026')).toEqual({ to: '2026-01-01T00:00:00.000Z' });
  });

  it('refuses other prefixes and values', () => {
    expect(() => lastUpdatedRange('ne2026')).toThrow(FhirError);
    expect(() => lastUpdatedRange('ap2026')).toThrow(FhirError);
    expect(() => lastUpdatedRange('ge')).toThrow(FhirError);
  });
});

describe('parseSearch', () => {
  const parse = (query: string, strict = false, patientParams: readonly string[] = ['patient', 'subject']) =>
    parseSearch(new URLSearchParams(query), { strict, patientParams });

  it('reads patient in its three spellings, _count capped, the cursor', () => {
    const id = '0d6f1a2e-8f4a-4a3e-9c1d-2b7e5f6a7b8c';
    for (const spelling of [id, `Patient/${id}`, `https://example.test/fhir/Patient/${id}`])
      expect(patientIdParam(spelling)).toBe(id);
    expect(parse(`patient=Patient/${id}&_count=5000&_cursor=${id}`)).toEqual({
      patientId: id,
      updated: [],
      count: 1000,
      afterId: id,
    });
    expect(parse('').count).toBe(50);
  });

  it('refuses malformed values, and unknown parameters only when asked to be strict', () => {
    expect(() => parse('_count=-1')).toThrow(FhirError);
    expect(() => parse('_count=ten')).toThrow(FhirError);
    expect(() => parse('patient=Patient/<script>')).toThrow(FhirError);
    expect(() => parse('patient=a&patient=b')).toThrow(FhirError);
    expect(() => parse('_cursor=../../x')).toThrow(FhirError);
    expect(parse('name=Amina').count).toBe(50);
    expect(() => parse('name=Amina', true)).toThrow(FhirError);
    expect(() => parse('patient=x', true, [])).toThrow(FhirError);
    expect(() => parse('subject=x', true, ['patient'])).toThrow(FhirError);
  });

  it('reads subject as the patient where the type has it, and one patient named twice as one', () => {
    const id = '0d6f1a2e-8f4a-4a3e-9c1d-2b7e5f6a7b8c';
    const other = '1d6f1a2e-8f4a-4a3e-9c1d-2b7e5f6a7b8c';
    expect(parse(`subject=Patient/${id}`, true).patientId).toBe(id);
    expect(parse(`patient=${id}&subject=Patient/${id}`).patientId).toBe(id);
    expect(() => parse(`patient=${id}&subject=Patient/${other}`)).toThrow(FhirError);
    expect(() => parse(`subject=${id}&subject=${id}`)).toThrow(FhirError);
    expect(() => parse('subject=Group/g1')).toThrow(FhirError);
    expect(parse(`subject=${id}`, false, ['patient']).patientId).toBeUndefined();
  });
});
