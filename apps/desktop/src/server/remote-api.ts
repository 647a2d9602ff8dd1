/**
 * The desktop's calls to the sync server's account and admin routes
 * (PROTOCOL §1 and §6). Every answer is checked against its protocol schema;
 * every failure comes back as a value the caller must sort: the server said
 * no (with its code), or the server could not be reached.
 */
import {
  auditResponseSchema,
  errorBodySchema,
  acceptInvitationResponseSchema,
  createInvitationResponseSchema,
  myInvitationsResponseSchema,
  orgInvitationsResponseSchema,
  orgDevicesResponseSchema,
  refreshResponseSchema,
  registerResponseSchema,
  signInResponseSchema,
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
};

type Call = { method: string; path: string; token?: string; body?: unknown };

/** Builds the client; the returned functions never throw for HTTP or network failures. */
export function createRemoteApi(options: RemoteApiOptions) {
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function send<S extends z.ZodType>(call: Call, schema: S | null): Promise<RemoteResult<z.infer<S>>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (call.token) headers.authorization = `Bearer ${call.token}`;
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await options.fetch(new URL(call.path, options.serverUrl), {
        method: call.method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      return { kind: 'unreachable' };
    }
    let body: unknown;
    try {
      const text = await res.text();
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (!res.ok) {
      const parsed = errorBodySchema.safeParse(body);
      // A proxy's HTML error page in front of a stopped server is the same as no server.
      if (!parsed.success)
        return res.status >= 500
          ? { kind: 'unreachable' }
          : {
              kind: 'refused',
              status: res.status,
              code: 'invalid_response',
              message: 'The server answered in an unexpected way.',
              details: {},
            };
      return { kind: 'refused', status: res.status, ...parsed.data.error };
    }
    if (schema === null) return { kind: 'ok', value: undefined as z.infer<S> };
    const parsed = schema.safeParse(body);
    if (!parsed.success)
      return {
        kind: 'refused',
        status: res.status,
        code: 'invalid_response',
        message: 'The server answered in an unexpected way.',
        details: {},
      };
    return { kind: 'ok', value: parsed.data };
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
