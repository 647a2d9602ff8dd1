/**
 * Joining and leaving (PROTOCOL §1b) for the signed-in person: the
 * invitations waiting for their email, accepting (then syncing at once, so
 * the organization arrives) or declining, and leaving an organization
 * (a local DELETE of their own membership that syncs like any other write;
 * the server refuses it as `last_admin` for the last administrator).
 */
import { ApiError } from '@clinicsync/protocol';
import { Hono } from 'hono';
import { z } from 'zod';
import type { DeviceSync } from '../../worker/device-sync.ts';
import { engineCall } from '../engine-errors.ts';
import { requireMembership } from '../local-records.ts';
import type { RemoteApi } from '../remote-api.ts';
import { unwrapRemote } from '../remote-failure.ts';
import type { UiSession } from '../ui-session.ts';
import type { LocalEnv } from './require-session.ts';

export type InvitationRouteDeps = {
  readonly session: UiSession;
  readonly remote: RemoteApi;
  readonly sync: DeviceSync;
  readonly dataChanged: () => void;
};

const invitationId = z.uuid();

export function createInvitationRoutes(deps: InvitationRouteDeps): Hono<LocalEnv> {
  const app = new Hono<LocalEnv>();
  const { session, remote } = deps;
  const idOf = (raw: string) => {
    const parsed = invitationId.safeParse(raw);
    if (!parsed.success) throw new ApiError('not_found', 'There is no such invitation.');
    return parsed.data;
  };

  app.get('/invitations', async (c) =>
    c.json(unwrapRemote(await session.withAuth((token) => remote.myInvitations(token)))),
  );

  app.post('/invitations/:invitationId/accept', async (c) => {
    const id = idOf(c.req.param('invitationId'));
    const answer = unwrapRemote(await session.withAuth((token) => remote.acceptInvitation(token, id)));
    // The membership is on the server now: pull it (and the organization) at once.
    deps.sync.syncNow();
    deps.dataChanged();
    return c.json(answer);
  });

  app.post('/invitations/:invitationId/decline', async (c) => {
    const id = idOf(c.req.param('invitationId'));
    unwrapRemote(await session.withAuth((token) => remote.declineInvitation(token, id)));
    return c.json({ declined: true });
  });

  app.post('/orgs/:orgId/leave', (c) => {
    const orgId = c.req.param('orgId');
    const engine = c.var.engine;
    requireMembership(engine, c.var.user.id, orgId);
    const mine = engine.list('members', { where: { organization_id: orgId, user_id: c.var.user.id } });
    const otherAdmins = engine
      .list('members', { where: { organization_id: orgId, role: 'admin' } })
      .filter((row) => row.user_id !== c.var.user.id);
    // Said here before anything is written; the server enforces it anyway (`last_admin`).
    if (mine.some((row) => row.role === 'admin') && otherAdmins.length === 0) {
      throw new ApiError(
        'conflict',
        'You are the last administrator of this organization. Make someone else an administrator first.',
      );
    }
    for (const row of mine) engineCall(() => engine.delete('members', row.id));
    deps.dataChanged();
    deps.sync.syncNow();
    return c.json({ left: true });
  });

  return app;
}
