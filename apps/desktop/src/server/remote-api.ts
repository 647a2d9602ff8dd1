/**
 * The desktop's calls to the sync server's account and admin routes
 * (PROTOCOL §1 and §6). Every answer is checked against its protocol schema;
 * every failure comes back as a value the caller must sort: the server said
 * no (with its code), or the server could not be reached.
 */
import { createServerClient } from '@clinicsync/client';
import {
  auditResponseSchema,
  acceptInvitationResponseSchema,
  createInvitationResponseSchema,
  myInvitationsResponseSchema,
  orgInvitationsResponseSchema,
  orgDevicesResponseSchema,
  refreshResponseSchema,
  registerResponseSchema,
  signInResponseSchema,
  systemClock,
  type Clock,
  type CreateInvitationRequest,
  type RegisterRequest,
} from '@clinicsync/protocol';
import type { z } from 'zod';

export type RemoteResult<T> =
  | { readonly kind: 'ok'; readonly value: T }
  | {
      readonly kind: 'refused';
      readonly status: number;
      readonly code: string;
      readonly message: string;
      readonly details: Readonly<Record<string, unknown>>;
    }
  | { readonly kind: 'unreachable' };

export type RemoteApiOptions = {
  readonly serverUrl: string;
  readonly fetch: typeof fetch;
  /** How long one call may take before it counts as unreachable. */
  readonly timeoutMs?: number;
  /** Reads `Retry-After` dates; the wall clock by default. */
  readonly clock?: Clock;
};

type Call = { method: string; path: string; token?: string; body?: unknown };

/** Builds the client; the returned functions never throw for HTTP or network failures. */
export function createRemoteApi(options: RemoteApiOptions) {
  const client = createServerClient({
    serverUrl: options.serverUrl,
    fetch: options.fetch,
    timeoutMs: options.timeoutMs ?? 15_000,
    clock: options.clock ?? systemClock,
  });

  async function send<S extends z.ZodType>(call: Call, schema: S | null): Promise<RemoteResult<z.infer<S>>> {
    const answer = await client.send(call, schema);
    if (answer.ok) return { kind: 'ok', value: answer.body };
    const failure = answer.failure;
    switch (failure.kind) {
      case 'network':
      case 'timeout':
      case 'aborted':
      case 'no_token':
        return { kind: 'unreachable' };
      case 'invalid_response':
        return {
          kind: 'refused',
          status: failure.status,
          code: 'invalid_response',
          message: failure.message,
          details: {},
        };
      case 'http':
        // A proxy's HTML error page in front of a stopped server is the same as no server.
        if (failure.code === 'unknown' && failure.status >= 500) return { kind: 'unreachable' };
        return {
          kind: 'refused',
          status: failure.status,
          code: failure.code === 'unknown' ? 'invalid_response' : failure.code,
          message: failure.message,
          details: failure.details ?? {},
        };
    }
  }

  const path = (segment: string) => encodeURIComponent(segment);

  return {
    register: (body: RegisterRequest) =>
      send({ method: 'POST', path: '/v1/auth/register', body }, registerResponseSchema),
    signIn: (body: { email: string; password: string; deviceId: string; deviceName: string }) =>
      send({ method: 'POST', path: '/v1/auth/sign-in', body }, signInResponseSchema),
    refresh: (refreshToken: string) =>
      send({ method: 'POST', path: '/v1/auth/refresh', body: { refreshToken } }, refreshResponseSchema),
    signOut: (token: string) => send({ method: 'POST', path: '/v1/auth/sign-out', token, body: {} }, null),
    revokeMyDevice: (token: string, deviceId: string) =>
      send({ method: 'DELETE', path: `/v1/devices/${path(deviceId)}`, token }, null),
    invite: (token: string, orgId: string, body: CreateInvitationRequest) =>
      send(
        { method: 'POST', path: `/v1/orgs/${path(orgId)}/invitations`, token, body },
        createInvitationResponseSchema,
      ),
    orgInvitations: (token: string, orgId: string) =>
      send({ method: 'GET', path: `/v1/orgs/${path(orgId)}/invitations`, token }, orgInvitationsResponseSchema),
    withdrawInvitation: (token: string, orgId: string, invitationId: string) =>
      send({ method: 'DELETE', path: `/v1/orgs/${path(orgId)}/invitations/${path(invitationId)}`, token }, null),
    myInvitations: (token: string) =>
      send({ method: 'GET', path: '/v1/invitations', token }, myInvitationsResponseSchema),
    acceptInvitation: (token: string, invitationId: string) =>
      send(
        { method: 'POST', path: `/v1/invitations/${path(invitationId)}/accept`, token, body: {} },
        acceptInvitationResponseSchema,
      ),
    declineInvitation: (token: string, invitationId: string) =>
      send({ method: 'POST', path: `/v1/invitations/${path(invitationId)}/decline`, token, body: {} }, null),
    orgDevices: (token: string, orgId: string) =>
      send({ method: 'GET', path: `/v1/orgs/${path(orgId)}/devices`, token }, orgDevicesResponseSchema),
    revokeOrgDevice: (token: string, orgId: string, deviceId: string, userId: string | null) =>
      send(
        {
          method: 'DELETE',
          path: `/v1/orgs/${path(orgId)}/devices/${path(deviceId)}${userId ? `?${new URLSearchParams({ userId })}` : ''}`,
          token,
        },
        null,
      ),
    audit: (token: string, orgId: string, query: Readonly<Record<string, string>>) =>
      send(
        { method: 'GET', path: `/v1/orgs/${path(orgId)}/audit?${new URLSearchParams(query)}`, token },
        auditResponseSchema,
      ),
  };
}

export type RemoteApi = ReturnType<typeof createRemoteApi>;
