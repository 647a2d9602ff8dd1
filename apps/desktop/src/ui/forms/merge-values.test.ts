import { patients } from '@clinicsync/protocol';
import { describe, expect, it } from 'vitest';
import { checkMerge, choiceText, initialChoices, type MergeSides } from './merge-values.ts';

const ORG = '11111111-1111-4111-8111-111111111111';
const base = { organization_id: ORG, given_name: 'Amina', phone: null };
// The server renamed her; this device corrected her birth date.
const sides: MergeSides = {
  mine: { ...base, family_name: 'Bello', birth_date: '1990-04-21' },
  theirs: { ...base, family_name: 'Okoro-Belo', birth_date: '1990-04-12' },
  changedHere: ['birth_date'],
};
const fields = ['family_name', 'birth_date'];

describe('conflict merge', () => {
  it("starts from both people's edits: what this device changed is mine, the rest the server's", () => {
    const choices = initialChoices(fields, sides.changedHere);
    expect(choices).toEqual({ family_name: { source: 'theirs' }, birth_date: { source: 'mine' } });
    expect(checkMerge(patients, fields, choices, sides)).toEqual({ kind: 'valid', data: { birth_date: '1990-04-21' } });
    // Without knowing what this device changed, every field starts as this device's.
    expect(initialChoices(fields, null)).toEqual({ family_name: { source: 'mine' }, birth_date: { source: 'mine' } });
  });

  it('sends a typed value, trimmed, and the fields that differ from the server only', () => {
    const choices = {
      family_name: { source: 'typed', text: ' Okoro-Bello ' },
      birth_date: { source: 'mine' },
    } as const;
    expect(checkMerge(patients, fields, choices, sides)).toEqual({
      kind: 'valid',
      data: { family_name: 'Okoro-Bello', birth_date: '1990-04-21' },
    });
    expect(choiceText(patients, 'birth_date', { source: 'theirs' }, sides)).toBe('1990-04-12');
  });

  it('refuses a typed value the server would refuse, naming the field', () => {
    const choices = {
      family_name: { source: 'typed', text: '' },
      birth_date: { source: 'typed', text: '1990-02-30' },
    } as const;
    expect(checkMerge(patients, fields, choices, sides)).toEqual({
      kind: 'invalid',
      errors: { family_name: 'Required.', birth_date: 'This date does not exist.' },
    });
  });

  it('has nothing to send when every field takes the server value', () => {
    const choices = { family_name: { source: 'theirs' }, birth_date: { source: 'typed', text: '1990-04-12' } } as const;
    expect(checkMerge(patients, fields, choices, sides)).toEqual({ kind: 'same_as_server' });
  });
});
