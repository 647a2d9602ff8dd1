import { describe, expect, it } from 'vitest';
import { testStore } from '../../test/support/test-store.ts';
import { LocalValidationError } from '../errors.ts';
import { discardDraft, readDraft, saveDraft } from './drafts.ts';

describe('drafts', () => {
  it('keeps the last values saved under a key until discarded, in the store file', () => {
    const store = testStore();
    saveDraft(store, 'patients:new:org1', { given_name: 'Ami' });
    saveDraft(store, 'patients:new:org1', { given_name: 'Amina', family_name: 'Be' });
    expect(readDraft(store, 'patients:new:org1')).toMatchObject({ values: { given_name: 'Amina', family_name: 'Be' } });
    expect(store.db.get('SELECT count(*) AS n FROM _drafts')?.n).toBe(1);
    discardDraft(store, 'patients:new:org1');
    expect(readDraft(store, 'patients:new:org1')).toBeUndefined();
  });

  it('refuses keys and values that are not short text', () => {
    const store = testStore();
    expect(() => saveDraft(store, '../x y', {})).toThrow(LocalValidationError);
    expect(() => saveDraft(store, 'k', { notes: 5 })).toThrow(LocalValidationError);
    expect(() => saveDraft(store, 'k', { notes: 'a\u0000' })).toThrow(LocalValidationError);
  });
});
