/**
 * Invitations (PROTOCOL §1b). `createOrgInvitationRoutes` is mounted at
 * `/v1/orgs` (an organization's admins invite, list and withdraw);
 * `createMyInvitationRoutes` at `/v1/invitations` (a person sees what waits
 * for their email and accepts or declines). Every route takes an auth token.
 * Handlers read input, check access, call one invitations step and shape
 * its answer; a wrong or foreign invitation id is always `404 not_found`.
 */
import {
  ApiError,
  assertNever,
  createInvitationRequestSchema,
  invitationParamsSchema,
  orgInvitationParamsSchema,
  orgParamsSchema,
  type AcceptInvitationResponse,
  type CreateInvitationResponse,
  type MyInvitationsResponse,
  type OrgInvitationsResponse,
} from '@clinicsync/protocol';
import { Hono } from 'hono';
import { assertOrgAdmin } from '../admin/org-admin-access.ts';
import type { AppEnv } from '../app-env.ts';
import { requireAuthToken } from '../auth/require-token.ts';
import { parseInput, readJson } from '../http/read-json.ts';
import { acceptInvitation } from '../invitations/accept-invitation.ts';
import { createInvitation } from '../invitations/create-invitation.ts';
import { declineInvitation, withdrawInvitation } from '../invitations/decline-invitation.ts';
import { DEFAULT_INVITATION_RULES } from '../invitations/invitation-rules.ts';
import { listMyInvitations, listOrgInvitations } from '../invitations/list-invitations.ts';
import type { ServerDeps } from '../server-deps.ts';
import type { ChangeNotifier } from '../sync/live/change-notifier.ts';
import { rateLimited } from '../http/rate-limited.ts';
import { announce } from '../sync/live/announce.ts';

type InvitationDeps = Pick<ServerDeps, 'db' | 'caps' | 'clock' | 'ids' | 'secrets' | 'config' | 'hashing'>;

const notFound = () => new ApiError('not_found', 'There is no pending invitation with this id for you.');

/** `POST|GET /:orgId/invitations`, `DELETE /:orgId/invitations/:invitationId`. */
export function createOrgInvitationRoutes(deps: InvitationDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const rules = { ...DEFAULT_INVITATION_RULES, ttlDays: deps.config.invitationTtlDays };

  app.post('/:orgId/invitations', requireAuthToken(deps), async (c) => {
    const { orgId } = parseInput(orgParamsSchema, c.req.param(), 'The organization id is invalid.');
    await assertOrgAdmin(deps.db, orgId, c.var.authActor.userId);
    const request = await readJson(c, createInvitationRequestSchema);
    const outcome = await createInvitation(
      { ...deps, rules },
      { organizationId: orgId, invitedBy: c.var.authActor.userId, request, now: deps.clock.now() },
    );
    switch (outcome.kind) {
      case 'invited':
        // Ids only: an email is personal data.
        c.var.log.info(
          { organizationId: orgId, invitationId: outcome.invitationId, by: c.var.authActor.userId },
          'invitation sent',
        );
        return c.json({ invitationId: outcome.invitationId } satisfies CreateInvitationResponse, 202);
      case 'not_admin':
        throw new ApiError('forbidden', 'Only an admin of this organization can do this.');
      case 'unknown_team':
        throw new ApiError('invalid_request', 'The team is not a team of this organization.', {
          details: { issues: [{ path: 'teamId', code: 'not_found' }] },
        });
      case 'too_many_pending':
        throw rateLimited(
          `An organization can have at most ${rules.maxPendingPerOrg} pending invitations. Withdraw some or wait until they expire.`,
          outcome.retryAfterSeconds,
          { maxPending: rules.maxPendingPerOrg },
        );
      default:
        return assertNever(outcome);
    }
  });

  app.get('/:orgId/invitations', requireAuthToken(deps), async (c) => {
    const { orgId } = parseInput(orgParamsSchema, c.req.param(), 'The organization id is invalid.');
    await assertOrgAdmin(deps.db, orgId, c.var.authActor.userId);
    return c.json({
      invitations: await listOrgInvitations(deps.db, orgId, deps.clock.now()),
    } satisfies OrgInvitationsResponse);
  });

  app.delete('/:orgId/invitations/:invitationId', requireAuthToken(deps), async (c) => {
    const { orgId } = parseInput(orgParamsSchema, { orgId: c.req.param('orgId') }, 'The organization id is invalid.');
    await assertOrgAdmin(deps.db, orgId, c.var.authActor.userId);
    const params = orgInvitationParamsSchema.safeParse(c.req.param());
    const withdrawn =
      params.success &&
      (await withdrawInvitation(deps.db, {
        organizationId: orgId,
        invitationId: params.data.invitationId,
        adminId: c.var.authActor.userId,
        now: deps.clock.now(),
      }));
    if (!withdrawn) throw new ApiError('not_found', 'This organization has no pending invitation with this id.');
    c.var.log.info(
      { organizationId: orgId, invitationId: params.data?.invitationId, by: c.var.authActor.userId },
      'invitation withdrawn',
    );
    return c.body(null, 204);
  });

  return app;
}

/** `GET /`, `POST /:invitationId/accept`, `POST /:invitationId/decline`. */
export function createMyInvitationRoutes(deps: InvitationDeps & { readonly notifier: ChangeNotifier }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requireAuthToken(deps));

  app.get('/', async (c) => {
    const user = await deps.db
      .selectFrom('users')
      .select('email')
      .where('id', '=', c.var.authActor.userId)
      .executeTakeFirstOrThrow();
    return c.json({
      invitations: await listMyInvitations(deps.db, user.email, deps.clock.now()),
    } satisfies MyInvitationsResponse);
  });

  app.post('/:invitationId/accept', async (c) => {
    const params = invitationParamsSchema.safeParse(c.req.param());
    // A malformed id names no invitation: the same answer as an unknown one.
    if (!params.success) throw notFound();
    const { userId, sessionId } = c.var.authActor;
    const session = await deps.db
      .selectFrom('sessions')
      .select('device_id')
      .where('id', '=', sessionId)
      .executeTakeFirst();
    const outcome = await acceptInvitation(deps, {
      invitationId: params.data.invitationId,
      userId,
      deviceId: session?.device_id ?? null,
      now: deps.clock.now(),
    });
    switch (outcome.kind) {
      case 'accepted':
        c.var.log.info(
          { organizationId: outcome.organizationId, invitationId: params.data.invitationId, userId },
          'invitation accepted',
        );
        // The organization's devices (and the person's own, whose memberships changed) hear of it at once.
        announce(deps.notifier, [outcome.organizationId, userId], c.var.log);
        return c.json({
          organizationId: outcome.organizationId,
          role: outcome.role,
        } satisfies AcceptInvitationResponse);
      case 'not_found':
        throw notFound();
      case 'membership_limit':
        throw new ApiError(
          'membership_limit',
          'You already belong to 50 organizations, the most one person can. Leave one, then accept this invitation; it stays waiting.',
        );
      default:
        return assertNever(outcome);
    }
  });

  app.post('/:invitationId/decline', async (c) => {
    const params = invitationParamsSchema.safeParse(c.req.param());
    const declined =
      params.success &&
      (await declineInvitation(deps.db, {
        invitationId: params.data.invitationId,
        userId: c.var.authActor.userId,
        now: deps.clock.now(),
      }));
    if (!declined) throw notFound();
    return c.body(null, 204);
  });

  return app;
}
