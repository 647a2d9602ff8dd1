import { patients } from '@clinicsync/protocol';
import { describe, expect, it } from 'vitest';
import {
  checkMerge,
  choicesFromDraft,
  choicesToDraft,
  choiceText,
  initialChoices,
  UNDECIDED_MESSAGE,
  type MergeChoice,
  type MergeSides,
} from './merge-values.ts';

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

  it('leaves a field both people changed undecided, so saving the merge as it opens never drops either value', () => {
    // Both renamed her; only this device changed the birth date.
    const both: MergeSides = { ...sides, changedHere: ['family_name', 'birth_date'] };
    const choices = initialChoices(fields, both.changedHere, ['family_name']);
    expect(choices).toEqual({ family_name: { source: 'undecided' }, birth_date: { source: 'mine' } });
    expect(choiceText(patients, 'family_name', choices.family_name!, both)).toBe('');
    expect(checkMerge(patients, fields, choices, both)).toEqual({
      kind: 'invalid',
      errors: { family_name: UNDECIDED_MESSAGE },
    });
    // Also when nothing else would be sent.
    expect(checkMerge(patients, ['family_name'], { family_name: { source: 'undecided' } }, both)).toEqual({
      kind: 'invalid',
      errors: { family_name: UNDECIDED_MESSAGE },
    });
    expect(initialChoices(fields, null, ['family_name']).family_name).toEqual({ source: 'undecided' });
    const chosen = { ...choices, family_name: { source: 'theirs' } } as const;
    expect(checkMerge(patients, fields, chosen, both)).toEqual({ kind: 'valid', data: { birth_date: '1990-04-21' } });
  });

  it('keeps a merge in progress as a draft and restores exactly what was chosen and typed', () => {
    const choices: Record<string, MergeChoice> = {
      family_name: { source: 'typed', text: 'Okoro-Bello, "née" Okoro' },
      birth_date: { source: 'theirs' },
    };
    const draft = choicesToDraft(choices);
    expect(Object.values(draft).every((v) => typeof v === 'string')).toBe(true);
    const initial = initialChoices(fields, sides.changedHere);
    expect(choicesFromDraft(draft, fields, initial)).toEqual(choices);
    // A damaged value, or a field that no longer differs, leaves the merge as it starts.
    expect(
      choicesFromDraft(
        { family_name: '{"source":"typed"}', birth_date: 'x', notes: '{"source":"mine"}' },
        fields,
        initial,
      ),
    ).toEqual(initial);
  });
});
