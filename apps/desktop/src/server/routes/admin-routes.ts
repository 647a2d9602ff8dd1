/**
 * Organization administration that needs the sync server: inviting people by
 * email and withdrawing invitations (PROTOCOL §1b; the person accepts on
 * their own device), the organization's devices and a record's history (§6).
 * The server checks that the caller is an admin; these routes also check the
 * local membership so a locked or foreign organization is refused early.
 */
import { ApiError } from '@clinicsync/protocol';
import { Hono } from 'hono';
import { z } from 'zod';
import { inviteBodySchema } from '../../shared/local-api.ts';
import type { SyncEngine } from '@clinicsync/client';
import { requireMembership } from '../local-records.ts';
import type { PeopleDirectory } from '../people-directory.ts';
import type { RemoteApi } from '../remote-api.ts';
import { unwrapRemote } from '../remote-failure.ts';
import type { UiSession } from '../ui-session.ts';
import { readBody, type LocalEnv } from './require-session.ts';

export type AdminRouteDeps = {
  readonly session: UiSession;
  readonly remote: RemoteApi;
  readonly people: PeopleDirectory;
};

const auditQuery = z.strictObject({
  recordId: z.uuid().optional(),
  table: z.string().max(64).optional(),
  cursor: z.string().max(200).optional(),
});

export function createAdminRoutes(deps: AdminRouteDeps): Hono<LocalEnv> {
  const app = new Hono<LocalEnv>();
  const { session, remote, people } = deps;

  const requireAdmin = (engine: SyncEngine, userId: string, orgId: string) => {
    const membership = requireMembership(engine, userId, orgId);
    if (membership.role !== 'admin')
      throw new ApiError('forbidden', 'Only an administrator of this organization can do this.');
  };

  app.post('/orgs/:orgId/invitations', async (c) => {
    const orgId = c.req.param('orgId');
    requireAdmin(c.var.engine, c.var.user.id, orgId);
    const body = await readBody(c, inviteBodySchema);
    const answer = unwrapRemote(
      await session.withAuth((token) =>
        remote.invite(token, orgId, {
          email: body.email,
          role: body.role,
          ...(body.teamId ? { teamId: body.teamId } : {}),
        }),
      ),
    );
    return c.json(answer, 202);
  });

  app.get('/orgs/:orgId/invitations', async (c) => {
    const orgId = c.req.param('orgId');
    requireAdmin(c.var.engine, c.var.user.id, orgId);
    return c.json(unwrapRemote(await session.withAuth((token) => remote.orgInvitations(token, orgId))));
  });

  app.delete('/orgs/:orgId/invitations/:invitationId', async (c) => {
    const orgId = c.req.param('orgId');
    requireAdmin(c.var.engine, c.var.user.id, orgId);
    unwrapRemote(
      await session.withAuth((token) => remote.withdrawInvitation(token, orgId, c.req.param('invitationId'))),
    );
    return c.json({ withdrawn: true });
  });

  app.get('/orgs/:orgId/devices', async (c) => {
    const orgId = c.req.param('orgId');
    requireAdmin(c.var.engine, c.var.user.id, orgId);
    const answer = unwrapRemote(await session.withAuth((token) => remote.orgDevices(token, orgId)));
    for (const device of answer.devices) people.remember(device.userId, device.userName);
    return c.json(answer);
  });

  app.delete('/orgs/:orgId/devices/:deviceId', async (c) => {
    const orgId = c.req.param('orgId');
    requireAdmin(c.var.engine, c.var.user.id, orgId);
    const userId = c.req.query('userId') ?? null;
    unwrapRemote(
      await session.withAuth((token) => remote.revokeOrgDevice(token, orgId, c.req.param('deviceId'), userId)),
    );
    return c.json({ revoked: true });
  });

  app.get('/orgs/:orgId/audit', async (c) => {
    const orgId = c.req.param('orgId');
    requireAdmin(c.var.engine, c.var.user.id, orgId);
    const parsed = auditQuery.safeParse(c.req.query());
    if (!parsed.success)
      throw new ApiError('invalid_request', 'The query is invalid.', {
        details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code })) },
      });
    const query = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as Record<
      string,
      string
    >;
    const answer = unwrapRemote(await session.withAuth((token) => remote.audit(token, orgId, query)));
    for (const entry of answer.entries) if (entry.userName) people.remember(entry.userId, entry.userName);
    return c.json(answer);
  });

  return app;
}
