import { patients, vitals } from '@clinicsync/protocol';
import { describe, expect, it } from 'vitest';
import { entryIssues } from './entry-rules.ts';
import { checkForm, initialValues } from './form-values.ts';
import { checkMerge } from './merge-values.ts';
import { formFields } from './registry-fields.ts';

const ORG = '11111111-1111-4111-8111-111111111111';
const fields = formFields(patients, { fixed: { organization_id: ORG } }).map((f) => f.name);
const register = (phone: string) =>
  checkForm(
    patients,
    { ...initialValues(patients, null), given_name: 'Amina', family_name: 'Bello', phone },
    'insert',
    {
      fixed: { organization_id: ORG },
      fields,
    },
  );
const NO_DIGIT = 'Enter a phone number with its digits, or leave it empty.';

describe('entry rules at the field', () => {
  it.each(['n/a', '-', 'none', ' . ', 'call her mother'])('refuses a phone with no digit at all: %j', (phone) => {
    expect(register(phone)).toEqual({ kind: 'invalid', errors: { phone: NO_DIGIT } });
  });

  it.each(['+254 700 000000', '(0)20 7946 0958', '0700-000-000 ext. 12', '5'])(
    'accepts a phone with digits: %j',
    (phone) => {
      expect(register(phone).kind).toBe('valid');
    },
  );

  it('keeps an empty phone allowed, and clearing one in an edit', () => {
    expect(register('').kind).toBe('valid');
    expect(register('   ').kind).toBe('valid');
    const original = { organization_id: ORG, given_name: 'Amina', family_name: 'Bello', phone: '555' };
    expect(
      checkForm(patients, { ...initialValues(patients, original), phone: '' }, 'update', { original, fields }),
    ).toEqual({ kind: 'valid', data: { phone: null } });
  });

  it('checks only what is being written: an old stored phone without a digit does not block another edit', () => {
    const original = { organization_id: ORG, given_name: 'Amina', family_name: 'Bello', phone: 'n/a' };
    const values = { ...initialValues(patients, original), notes: 'allergic to penicillin' };
    expect(checkForm(patients, values, 'update', { original, fields })).toEqual({
      kind: 'valid',
      data: { notes: 'allergic to penicillin' },
    });
  });

  it('applies to a value typed while merging a conflict', () => {
    const sides = {
      mine: { organization_id: ORG, given_name: 'Amina', family_name: 'Bello', phone: '555 0100' },
      theirs: { organization_id: ORG, given_name: 'Amina', family_name: 'Bello', phone: '555 0199' },
      changedHere: ['phone'],
    };
    expect(checkMerge(patients, ['phone'], { phone: { source: 'typed', text: 'unknown' } }, sides)).toEqual({
      kind: 'invalid',
      errors: { phone: NO_DIGIT },
    });
  });

  it('leaves tables without entry rules alone', () => {
    expect(entryIssues(vitals, { unit: '-' })).toEqual({});
  });
});
