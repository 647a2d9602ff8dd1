import { appointments, patients, vitals } from '@clinicsync/protocol';
import { describe, expect, it } from 'vitest';
import { checkCorrections, checkForm, initialValues } from './form-values.ts';
import { formFields } from './registry-fields.ts';

const ORG = '11111111-1111-4111-8111-111111111111';
const patientFields = formFields(patients, { fixed: { organization_id: ORG } }).map((f) => f.name);

describe('registry-driven forms', () => {
  it('derives the patient form from the registry, leaving out the organization', () => {
    expect(patientFields).toEqual([
      'given_name',
      'family_name',
      'birth_date',
      'sex',
      'identifier',
      'phone',
      'address',
      'notes',
    ]);
    const sex = formFields(patients).find((f) => f.name === 'sex');
    expect(sex?.options.map((o) => o.value)).toEqual(['female', 'male', 'other', 'unknown']);
  });

  it('names every required field that is empty', () => {
    const check = checkForm(patients, initialValues(patients, null), 'insert', {
      fixed: { organization_id: ORG },
      fields: patientFields,
    });
    expect(check).toEqual({ kind: 'invalid', errors: { given_name: 'Required.', family_name: 'Required.' } });
  });

  it('refuses over-long text, impossible dates and reports the limit from the registry', () => {
    const values = {
      ...initialValues(patients, null),
      given_name: 'x'.repeat(201),
      family_name: 'Okafor',
      birth_date: '2023-02-30',
    };
    const check = checkForm(patients, values, 'insert', { fixed: { organization_id: ORG }, fields: patientFields });
    expect(check).toEqual({
      kind: 'invalid',
      errors: { given_name: 'At most 200 characters.', birth_date: 'This date does not exist.' },
    });
  });

  it('builds an insert with the fixed context and without empty optional fields', () => {
    const values = { ...initialValues(patients, null), given_name: ' Amina ', family_name: 'Okafor', sex: 'female' };
    const check = checkForm(patients, values, 'insert', { fixed: { organization_id: ORG }, fields: patientFields });
    expect(check).toEqual({
      kind: 'valid',
      data: { given_name: 'Amina', family_name: 'Okafor', sex: 'female', organization_id: ORG },
    });
  });

  it('sends only the changed fields of an update and clears an emptied optional field with null', () => {
    const original = { organization_id: ORG, given_name: 'Amina', family_name: 'Okafor', phone: '555', notes: null };
    const values = { ...initialValues(patients, original), phone: '', notes: 'allergic to penicillin' };
    expect(checkForm(patients, values, 'update', { original, fields: patientFields })).toEqual({
      kind: 'valid',
      data: { phone: null, notes: 'allergic to penicillin' },
    });
    expect(
      checkForm(patients, initialValues(patients, original), 'update', { original, fields: patientFields }),
    ).toEqual({ kind: 'unchanged' });
  });

  it('turns numbers and local date-times into the stored types', () => {
    const fields = formFields(vitals, { fixed: { patient_id: ORG } }).map((f) => f.name);
    const values = { kind: 'body_temperature', value: '37.5', unit: 'Cel', recorded_at: '2026-03-01T09:30' };
    const check = checkForm(vitals, values, 'insert', { fixed: { patient_id: ORG }, fields });
    expect(check.kind).toBe('valid');
    if (check.kind === 'valid') {
      expect(check.data.value).toBe(37.5);
      expect(check.data.recorded_at).toBe(new Date('2026-03-01T09:30').toISOString());
    }
    const bad = checkForm(appointments, { duration_min: '0.5', status: 'booked', starts_at: '' }, 'insert', {
      fixed: { patient_id: ORG, team_id: ORG },
      fields: ['starts_at', 'duration_min', 'status'],
    });
    expect(bad).toEqual({ kind: 'invalid', errors: { starts_at: 'Required.', duration_min: 'Enter a whole number.' } });
  });
});

describe('corrections of a refused change', () => {
  it('converts them as a form does and refuses at the field what cannot be sent', () => {
    expect(checkCorrections(vitals, { value: '38.4', unit: 'Cel' })).toEqual({
      kind: 'valid',
      data: { value: 38.4, unit: 'Cel' },
    });
    // Not a number: named at the field, never sent as NaN (which JSON turns into null, clearing the value).
    expect(checkCorrections(vitals, { value: 'abc' })).toEqual({
      kind: 'invalid',
      errors: { value: 'Enter a number.' },
    });
    // An emptied required field is refused, not sent as 0 or as an empty text.
    expect(checkCorrections(vitals, { value: '' })).toEqual({ kind: 'invalid', errors: { value: 'Required.' } });
    expect(checkCorrections(patients, { phone: ' ', notes: '' })).toEqual({
      kind: 'valid',
      data: { phone: null, notes: null },
    });
    expect(checkCorrections(patients, { phone: 'n/a' })).toEqual({
      kind: 'invalid',
      errors: { phone: 'Enter a phone number with its digits, or leave it empty.' },
    });
  });

  it("checks the app's own entry rules only on what the person changed, never on a value stored as it was", () => {
    // A phone of "n/a" queued before the rule: correcting the clinic number alone sends it as it was.
    const start = { identifier: 'K7QM9X-0042', phone: 'n/a' };
    expect(checkCorrections(patients, { identifier: 'K7QM9X-0043', phone: 'n/a' }, start)).toEqual({
      kind: 'valid',
      data: { identifier: 'K7QM9X-0043', phone: 'n/a' },
    });
    expect(checkCorrections(patients, { identifier: 'K7QM9X-0043', phone: 'none' }, start).kind).toBe('invalid');
  });
});
