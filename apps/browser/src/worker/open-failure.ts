/**
 * Why the leader could not open the store, in words safe to show every tab
 * (no paths, no data). Fail closed either way; the reason says what to do.
 *
 * A store written by a newer build (`StoreTooNewError`) happens after a server
 * upgrade, when a tab still running the old build takes the store over from
 * a closed tab of the new one: the old build must not write to it, and
 * reloading the tab runs the new build (docs/browser-app.md "Updates").
 */
import { StoreTooNewError } from '@clinicsync/client';
import { StorageUnavailableError } from './storage-pool.ts';

/** Every tab shows the leader's reason, new-build tabs too: it names the old tab's build, and a reload of each fixes it. */
export const OLDER_BUILD_REASON =
  'a ClinicSync tab still runs an older version than the one that last used this storage; reload every ClinicSync tab to use the new version';

export function describeOpenFailure(error: unknown): string {
  if (error instanceof StorageUnavailableError) return error.reason;
  if (error instanceof StoreTooNewError) return OLDER_BUILD_REASON;
  return 'the local store could not be opened';
}
