import { patients } from '@clinicsync/protocol';
import { describe, expect, it } from 'vitest';
import { adoptIncoming, changedUnderneath, typedValues } from './edit-base.ts';
import { checkForm, initialValues } from './form-values.ts';
import { formFields } from './registry-fields.ts';

const fields = formFields(patients).map((f) => f.name);
const opened = {
  id: 'p1',
  version: 1,
  organization_id: 'o1',
  given_name: 'Kofi',
  family_name: 'Asante',
  phone: null,
  notes: null,
};
const colleague = { ...opened, version: 2, notes: 'Allergic to penicillin' };

describe("an edit form's base", () => {
  it('saves only what was typed, never the old value of a field a colleague changed while the form was open', () => {
    const values = { ...initialValues(patients, opened), phone: '+233 20 123 4567' };
    const { base, values: shown } = adoptIncoming(patients, fields, { base: opened, values }, colleague);
    expect(shown.notes).toBe('Allergic to penicillin');
    expect(shown.phone).toBe('+233 20 123 4567');
    expect(base.version).toBe(2);
    const check = checkForm(patients, shown, 'update', { original: base, fields });
    expect(check).toEqual({ kind: 'valid', data: { phone: '+233 20 123 4567' } });
    expect(changedUnderneath({ phone: '+233 20 123 4567' }, base, colleague)).toEqual([]);
  });

  it('keeps what was typed in a field a colleague also changed, and names that field before saving over it', () => {
    const values = { ...initialValues(patients, opened), notes: 'Prefers Twi' };
    const { base, values: shown } = adoptIncoming(patients, fields, { base: opened, values }, colleague);
    expect(shown.notes).toBe('Prefers Twi');
    const check = checkForm(patients, shown, 'update', { original: base, fields });
    expect(check).toEqual({ kind: 'valid', data: { notes: 'Prefers Twi' } });
    expect(changedUnderneath({ notes: 'Prefers Twi' }, base, colleague)).toEqual(['notes']);
    // The same value typed on both devices overwrites nothing.
    expect(changedUnderneath({ notes: 'Allergic to penicillin' }, base, colleague)).toEqual([]);
  });

  it('keeps only the typed fields in a draft, so restoring it later brings back no old values', () => {
    const values = { ...initialValues(patients, opened), phone: '0201234567' };
    expect(typedValues(patients, fields, opened, values)).toEqual({ phone: '0201234567' });
  });
});
