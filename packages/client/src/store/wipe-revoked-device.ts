/**
 * A revoked device forgets its organizations' records (docs/security.md,
 * "Device revocation"). When the server answers this device's sync token
 * `401 token_revoked` (an admin revoked the device, or its owner did from
 * elsewhere, e.g. for a lost laptop), every organization's rows are removed
 * from the store. Nothing typed is lost silently: unsent edits and open
 * conflicts become dead letters the person still sees, as when they leave an
 * organization. The cursor is forgotten, so if the person signs in again the
 * device syncs afresh from the server.
 */
import { organizationsInStore, purgeOrganization } from './apply-pull-page.ts';
import type { StoreContext } from './store-context.ts';
import { startFullResync } from './sync-state.ts';

const DEVICE_REVOKED_MESSAGE =
  'This device was revoked, so this change could not be sent. Sign in again to send it from the list of refused changes.';

/** Removes every organization's records in one transaction; returns how many organizations were wiped. */
export function wipeRevokedDevice(ctx: StoreContext): number {
  return ctx.db.transaction(() => {
    const organizations = organizationsInStore(ctx);
    for (const organizationId of organizations) purgeOrganization(ctx, organizationId, DEVICE_REVOKED_MESSAGE);
    startFullResync(ctx.db);
    return organizations.size;
  });
}
