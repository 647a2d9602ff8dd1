/**
 * Wire shapes of invitations (PROTOCOL §1b): nobody becomes a member of an
 * organization without accepting, and an invitation names an email, so the
 * answer to "invite this email" never says whether an account has it.
 */
import { z } from 'zod';
import { emailSchema, storedEmailSchema } from './auth.ts';
import { organizationIdSchema, timestampSchema, userIdSchema, uuidSchema } from './ids.ts';
import { ROLES } from './registry/index.ts';

/** Pending invitations one organization may hold at once (PROTOCOL §1b: `429 rate_limited` beyond). */
export const MAX_PENDING_INVITATIONS_PER_ORG = 200;
/** How long an invitation waits for its answer (PROTOCOL §1b: 14 days by default). */
export const DEFAULT_INVITATION_TTL_DAYS = 14;

export const invitationIdSchema = uuidSchema.brand<'InvitationId'>();
export type InvitationId = z.infer<typeof invitationIdSchema>;

/** `POST /v1/orgs/:orgId/invitations`. */
export const createInvitationRequestSchema = z.strictObject({
  email: emailSchema,
  role: z.enum(ROLES),
  teamId: uuidSchema.nullable().optional(),
});
export type CreateInvitationRequest = z.infer<typeof createInvitationRequestSchema>;
export const createInvitationResponseSchema = z.object({ invitationId: invitationIdSchema });
export type CreateInvitationResponse = z.infer<typeof createInvitationResponseSchema>;

/** A pending invitation as the organization's admins see it. */
export const orgInvitationSchema = z.object({
  invitationId: invitationIdSchema,
  email: storedEmailSchema,
  role: z.enum(ROLES),
  teamId: uuidSchema.nullable(),
  invitedBy: userIdSchema,
  createdAt: timestampSchema,
  expiresAt: timestampSchema,
});
export type OrgInvitation = z.infer<typeof orgInvitationSchema>;
export const orgInvitationsResponseSchema = z.object({ invitations: z.array(orgInvitationSchema) });
export type OrgInvitationsResponse = z.infer<typeof orgInvitationsResponseSchema>;

/** A pending invitation as its invitee sees it (`GET /v1/invitations`). */
export const myInvitationSchema = z.object({
  invitationId: invitationIdSchema,
  organizationId: organizationIdSchema,
  organizationName: z.string(),
  role: z.enum(ROLES),
  invitedByName: z.string(),
  createdAt: timestampSchema,
  expiresAt: timestampSchema,
});
export type MyInvitation = z.infer<typeof myInvitationSchema>;
export const myInvitationsResponseSchema = z.object({ invitations: z.array(myInvitationSchema) });
export type MyInvitationsResponse = z.infer<typeof myInvitationsResponseSchema>;

/** `POST /v1/invitations/:invitationId/accept` → 200. */
export const acceptInvitationResponseSchema = z.object({ organizationId: organizationIdSchema, role: z.enum(ROLES) });
export type AcceptInvitationResponse = z.infer<typeof acceptInvitationResponseSchema>;

/** Path parameters. */
export const invitationParamsSchema = z.object({ invitationId: invitationIdSchema });
export const orgInvitationParamsSchema = z.object({ orgId: organizationIdSchema, invitationId: invitationIdSchema });
