/** Reference entries for the organization admin routes (PROTOCOL §6). */
import {
  auditQuerySchema,
  auditResponseSchema,
  orgDeviceParamsSchema,
  orgDevicesResponseSchema,
  orgParamsSchema,
  revokeOrgDeviceQuerySchema,
  revokeOrgDeviceResponseSchema,
} from '@clinicsync/protocol';
import { examples } from './examples.ts';
import type { OperationSpec } from './operation-spec.ts';

const ADMIN_ONLY =
  "Only for admins of the organization; membership and role come from the server's database. Anyone else, and any organization that does not exist, gets `403 forbidden`, so existence is not revealed.";

export const adminOperations: readonly OperationSpec[] = [
  {
    method: 'get',
    path: '/v1/orgs/{orgId}/devices',
    operationId: 'listOrganizationDevices',
    tag: 'Organization admin',
    summary: "Sync health of every member's devices",
    description: [
      "One entry per device of each current member (not of invited people who have not accepted), with this organization's share of the outbox the device last reported on push (pending events, oldest pending edit, open conflicts, dead letters) and when it last pushed and pulled. Nothing about the device's work for other organizations is shown; figures are null when the device never reported a share for this organization (an older app whose person belongs to several). Oldest pending first.",
      '',
      '`health` is `warning` when the oldest unsent edit is over 24 hours old, `stale` over 3 days or when the device has not been seen for 7 days; `staleness` says why in words.',
      '',
      ADMIN_ONLY,
    ].join('\n'),
    token: 'authToken',
    pathParams: orgParamsSchema,
    success: {
      status: 200,
      description: 'The devices.',
      schema: orgDevicesResponseSchema,
      example: examples.orgDevices,
    },
    errors: ['forbidden'],
  },
  {
    method: 'delete',
    path: '/v1/orgs/{orgId}/devices/{deviceId}',
    operationId: 'revokeOrganizationDevice',
    tag: 'Organization admin',
    summary: "Revoke a member's device",
    description: [
      "Revokes the sync token of that device for the organization's members (only the member given by `userId`, when set). The device's next push or pull is answered `401 token_revoked`. An admin can never revoke a device of someone outside the organization (`404 not_found`).",
      '',
      ADMIN_ONLY,
    ].join('\n'),
    token: 'authToken',
    pathParams: orgDeviceParamsSchema,
    query: revokeOrgDeviceQuerySchema,
    success: { status: 200, description: 'Revoked.', schema: revokeOrgDeviceResponseSchema, example: examples.ok },
    errors: ['forbidden', 'not_found'],
  },
  {
    method: 'get',
    path: '/v1/orgs/{orgId}/audit',
    operationId: 'listAuditEntries',
    tag: 'Organization admin',
    summary: 'The audit trail',
    description: [
      "One entry per applied change (none for refused events): who, when, from which device, and the row before and after. Filters combine. Page with `cursor` = the previous answer's `nextCursor` until it is null.",
      '',
      ADMIN_ONLY,
    ].join('\n'),
    token: 'authToken',
    pathParams: orgParamsSchema,
    query: auditQuerySchema,
    success: {
      status: 200,
      description: 'A page of audit entries.',
      schema: auditResponseSchema,
      example: examples.audit,
    },
    errors: ['forbidden'],
  },
];
