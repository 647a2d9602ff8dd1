/** Reference entries for invitations (PROTOCOL §1b). */
import {
  acceptInvitationResponseSchema,
  createInvitationRequestSchema,
  createInvitationResponseSchema,
  invitationParamsSchema,
  MAX_PENDING_INVITATIONS_PER_ORG,
  myInvitationsResponseSchema,
  orgInvitationParamsSchema,
  orgInvitationsResponseSchema,
  orgParamsSchema,
} from '@clinicsync/protocol';
import { examples } from './examples.ts';
import type { OperationSpec } from './operation-spec.ts';

const ADMIN_ONLY =
  "Only for admins of the organization; membership and role come from the server's database. Anyone else, and any organization that does not exist, gets `403 forbidden`.";
const INVITEE_ONLY =
  "Only the person the invitation is addressed to (their account's email) may answer it; any other id, and an invitation that is no longer pending (answered, withdrawn, expired), is `404 not_found`.";

export const invitationOperations: readonly OperationSpec[] = [
  {
    method: 'post',
    path: '/v1/orgs/{orgId}/invitations',
    operationId: 'createInvitation',
    tag: 'Invitations',
    summary: 'Invite an email to the organization',
    description: [
      'Nobody becomes a member without saying yes: the person sees the invitation (`GET /v1/invitations`) and accepts or declines it. The answer is `202` whether or not an account has this email, so inviting reveals nothing about accounts; a person who registers later finds the invitation waiting.',
      '',
      `Inviting the same email again while an invitation waits updates it (role, team, a fresh 14-day expiry) and answers the same id. At most ${MAX_PENDING_INVITATIONS_PER_ORG} invitations of one organization wait at once: beyond that \`429 rate_limited\`, \`Retry-After\` saying when the oldest expires. A \`teamId\` that is not a live team of the organization is \`400 invalid_request\`.`,
      '',
      ADMIN_ONLY,
    ].join('\n'),
    token: 'authToken',
    pathParams: orgParamsSchema,
    body: { schema: createInvitationRequestSchema, example: examples.createInvitationRequest },
    success: {
      status: 202,
      description: 'The invitation waits for its answer.',
      schema: createInvitationResponseSchema,
      example: examples.createInvitationResponse,
    },
    errors: ['forbidden', 'rate_limited'],
  },
  {
    method: 'get',
    path: '/v1/orgs/{orgId}/invitations',
    operationId: 'listOrganizationInvitations',
    tag: 'Invitations',
    summary: "The organization's pending invitations",
    description: [
      'Pending invitations only (not answered, withdrawn or expired), newest first. They name emails, never whether an account exists.',
      '',
      ADMIN_ONLY,
    ].join('\n'),
    token: 'authToken',
    pathParams: orgParamsSchema,
    success: {
      status: 200,
      description: 'The pending invitations.',
      schema: orgInvitationsResponseSchema,
      example: examples.orgInvitations,
    },
    errors: ['forbidden'],
  },
  {
    method: 'delete',
    path: '/v1/orgs/{orgId}/invitations/{invitationId}',
    operationId: 'withdrawInvitation',
    tag: 'Invitations',
    summary: 'Withdraw a pending invitation',
    description: [
      'The invitation can no longer be accepted. `404 not_found` when the organization has no pending invitation with this id.',
      '',
      ADMIN_ONLY,
    ].join('\n'),
    token: 'authToken',
    pathParams: orgInvitationParamsSchema,
    success: { status: 204, description: 'Withdrawn.' },
    errors: ['forbidden', 'not_found'],
  },
  {
    method: 'get',
    path: '/v1/invitations',
    operationId: 'listMyInvitations',
    tag: 'Invitations',
    summary: 'Invitations waiting for the caller',
    description:
      "Pending invitations addressed to the caller's email, in organizations that still exist, newest first (at most 100).",
    token: 'authToken',
    success: {
      status: 200,
      description: "The caller's pending invitations.",
      schema: myInvitationsResponseSchema,
      example: examples.myInvitations,
    },
    errors: [],
  },
  {
    method: 'post',
    path: '/v1/invitations/{invitationId}/accept',
    operationId: 'acceptInvitation',
    tag: 'Invitations',
    summary: 'Accept an invitation',
    description: [
      "The server writes the `members` row in the organization's change log, with the invitee as the audit trail's author, so every device of the organization pulls it; the caller's devices receive the organization from its beginning on their next pull.",
      '',
      'A person belongs to at most 50 organizations (active memberships of organizations that are not deleted): beyond that `409 membership_limit`, and the invitation stays pending. Accepting an invitation of an organization the caller already belongs to keeps their role and uses the invitation up.',
      '',
      INVITEE_ONLY,
    ].join('\n'),
    token: 'authToken',
    pathParams: invitationParamsSchema,
    success: {
      status: 200,
      description: 'The caller is now a member.',
      schema: acceptInvitationResponseSchema,
      example: examples.acceptInvitation,
    },
    errors: ['not_found', 'membership_limit'],
  },
  {
    method: 'post',
    path: '/v1/invitations/{invitationId}/decline',
    operationId: 'declineInvitation',
    tag: 'Invitations',
    summary: 'Decline an invitation',
    description: ['The invitation ends without a membership.', '', INVITEE_ONLY].join('\n'),
    token: 'authToken',
    pathParams: invitationParamsSchema,
    success: { status: 204, description: 'Declined.' },
    errors: ['not_found'],
  },
];
