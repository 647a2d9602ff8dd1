import { StoreFormatTooNewError, StoreTooNewError } from '@clinicsync/client';
import { describe, expect, it } from 'vitest';
import { describeOpenFailure, OLDER_BUILD_REASON } from './open-failure.ts';
import { StorageUnavailableError } from './storage-pool.ts';

describe('why the store did not open', () => {
  it('names a store written by a newer build as this tab being out of date, to reload', () => {
    expect(describeOpenFailure(new StoreTooNewError(3, 2))).toBe(OLDER_BUILD_REASON);
    expect(describeOpenFailure(new StoreFormatTooNewError(9))).toBe(OLDER_BUILD_REASON);
    expect(OLDER_BUILD_REASON).toMatch(/reload every ClinicSync tab/);
  });

  it('keeps the storage reason of a pool that would not open', () => {
    expect(describeOpenFailure(new StorageUnavailableError('the storage is in use by another window or program'))).toBe(
      'the storage is in use by another window or program',
    );
  });

  it('says nothing more of any other failure than that the store did not open', () => {
    expect(describeOpenFailure(new Error('SQLITE_CORRUPT: /local-abc.sqlite'))).toBe(
      'the local store could not be opened',
    );
  });
});
