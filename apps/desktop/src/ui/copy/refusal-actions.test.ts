import { REJECTION_CODES } from '@clinicsync/protocol';
import { describe, expect, it } from 'vitest';
import { refusalAction } from './refusal-actions.ts';

describe('what a refused change offers', () => {
  it('never offers an edit for a change refused because of the role: it says who may, to copy it for them', () => {
    expect(refusalAction('forbidden', 'vitals')).toEqual({
      kind: 'hand_over',
      advice:
        'Only administrators and clinicians may enter or change vital signs. Copy it for a colleague who may, then discard it here.',
    });
    expect(refusalAction('forbidden', 'teams')).toMatchObject({
      kind: 'hand_over',
      advice: expect.stringMatching(/^Only administrators may enter or change teams\./),
    });
  });

  it('names no roles where every role may write the table, and sends a refused member to the invitations', () => {
    const patients = refusalAction('forbidden', 'patients');
    expect(patients.kind).toBe('hand_over');
    expect(patients.kind === 'hand_over' && patients.advice).not.toMatch(/^Only/);
    expect(refusalAction('forbidden', 'members')).toMatchObject({
      kind: 'hand_over',
      advice: expect.stringMatching(/invitation/),
    });
  });

  it.each(['invalid_event', 'out_of_range', 'duplicate_identifier', 'event_id_reused'])(
    'offers an edit where the values can be corrected: %s',
    (code) => expect(refusalAction(code, 'patients')).toEqual({ kind: 'correct' }),
  );

  it.each([
    'not_found',
    'immutable_field',
    'cross_organization',
    'already_exists',
    'bootstrap_incomplete',
    'unknown_table',
    'unknown_field',
    'creation_refused',
    'organization_revoked',
  ])('offers no sending again where it would be refused the same way: %s', (code) =>
    expect(refusalAction(code, 'patients').kind).toBe('hand_over'),
  );

  it('sends a refused removal of the last administrator unchanged once another member is one', () => {
    expect(refusalAction('last_admin', 'members')).toEqual({
      kind: 'send_again',
      advice: 'Make another member an administrator first, then send it again; or discard it.',
    });
  });

  it('decides every rejection code of the protocol, and lets a newer code be corrected', () => {
    for (const code of REJECTION_CODES)
      expect(['correct', 'send_again', 'hand_over']).toContain(refusalAction(code, 'vitals').kind);
    expect(refusalAction('some_future_code', 'vitals')).toEqual({ kind: 'correct' });
  });
});
