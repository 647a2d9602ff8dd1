/**
 * Organization admin routes (PROTOCOL §6), mounted at `/v1/orgs`: the
 * members' devices with their sync-queue health, revoking a member's device,
 * and the audit trail. Every route takes an auth token and is for current
 * admins of `:orgId` only; handlers read input, check access, call one admin
 * step and shape its answer.
 */
import {
  ApiError,
  assertNever,
  auditQuerySchema,
  orgDeviceParamsSchema,
  orgParamsSchema,
  revokeOrgDeviceQuerySchema,
  type AuditResponse,
  type OrgDevicesResponse,
  type RevokeOrgDeviceResponse,
  type UserId,
} from '@clinicsync/protocol';
import { Hono } from 'hono';
import { assertOrgAdmin } from '../admin/org-admin-access.ts';
import { listOrgDevices } from '../admin/list-org-devices.ts';
import { readAudit } from '../admin/read-audit.ts';
import { revokeOrgDevice } from '../admin/revoke-org-device.ts';
import type { AppEnv } from '../app-env.ts';
import { requireAuthToken } from '../auth/require-token.ts';
import { parseInput, readQuery } from '../http/read-json.ts';
import type { ServerDeps } from '../server-deps.ts';
import { announce } from '../sync/live/announce.ts';
import type { ChangeNotifier } from '../sync/live/change-notifier.ts';

type AdminDeps = Pick<ServerDeps, 'db' | 'clock' | 'secrets' | 'hashing'> & { readonly notifier: ChangeNotifier };

/** `GET /:orgId/devices`, `DELETE /:orgId/devices/:deviceId`, `GET /:orgId/audit`. */
export function createAdminRoutes(deps: AdminDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requireAuthToken(deps));

  app.get('/:orgId/devices', async (c) => {
    const { orgId } = parseInput(orgParamsSchema, c.req.param(), 'The organization id is invalid.');
    await assertOrgAdmin(deps.db, orgId, c.var.authActor.userId);
    return c.json({ devices: await listOrgDevices(deps.db, orgId, deps.clock.now()) } satisfies OrgDevicesResponse);
  });

  app.delete('/:orgId/devices/:deviceId', async (c) => {
    const { orgId, deviceId } = parseInput(
      orgDeviceParamsSchema,
      c.req.param(),
      'The organization or device id is invalid.',
    );
    await assertOrgAdmin(deps.db, orgId, c.var.authActor.userId);
    const { userId } = readQuery(c, revokeOrgDeviceQuerySchema);
    const outcome = await revokeOrgDevice(deps.db, {
      organizationId: orgId,
      callerId: c.var.authActor.userId as UserId,
      deviceId,
      userId,
      now: deps.clock.now(),
    });
    switch (outcome.kind) {
      case 'revoked':
        // Ids only: the log must say who revoked what, never carry patient data.
        c.var.log.info(
          { organizationId: orgId, deviceId, revokedFor: outcome.userIds, by: c.var.authActor.userId },
          'device sync token revoked by org admin',
        );
        // A waiting pull of that device ends now with 401 instead of at its timeout (PROTOCOL §4 "Live").
        announce(deps.notifier, outcome.userIds, c.var.log);
        return c.json({ ok: true } satisfies RevokeOrgDeviceResponse);
      case 'not_found':
        throw new ApiError('not_found', 'No member of this organization has that device.');
      default:
        return assertNever(outcome);
    }
  });

  app.get('/:orgId/audit', async (c) => {
    const { orgId } = parseInput(orgParamsSchema, c.req.param(), 'The organization id is invalid.');
    await assertOrgAdmin(deps.db, orgId, c.var.authActor.userId);
    const query = readQuery(c, auditQuerySchema);
    return c.json((await readAudit(deps.db, orgId, query)) satisfies AuditResponse);
  });

  return app;
}
