/** Reference entries for accounts, sessions and devices (PROTOCOL §1). */
import {
  devicesResponseSchema,
  deviceIdSchema,
  meResponseSchema,
  refreshRequestSchema,
  refreshResponseSchema,
  registerRequestSchema,
  registerResponseSchema,
  signInRequestSchema,
  signInResponseSchema,
} from '@clinicsync/protocol';
import { z } from 'zod';
import { examples } from './examples.ts';
import type { OperationSpec } from './operation-spec.ts';

/**
 * The answer of sign-out and device revocation. PROTOCOL.md gives these routes
 * no body; the server answers `{ok: true}` (see docs/decisions/2026-11-26-api-reference.md) and the
 * contract tests hold it to that.
 */
export const acknowledgementSchema = z.object({ ok: z.literal(true) });

export const accountOperations: readonly OperationSpec[] = [
  {
    method: 'post',
    path: '/v1/auth/register',
    operationId: 'register',
    tag: 'Accounts',
    summary: 'Create an account',
    description:
      'The email is trimmed and lower-cased before it is stored; the password needs at least 8 characters. Registering creates no session: sign in next. Registrations are limited per client address (`429 rate_limited` with `Retry-After`).',
    token: 'none',
    body: { schema: registerRequestSchema, example: examples.registerRequest },
    success: {
      status: 201,
      description: 'The account was created.',
      schema: registerResponseSchema,
      example: examples.registerResponse,
    },
    errors: ['email_taken', 'rate_limited'],
  },
  {
    method: 'post',
    path: '/v1/auth/sign-in',
    operationId: 'signIn',
    tag: 'Accounts',
    summary: 'Sign in on a device',
    description: [
      'Starts a UI session (auth token, 15 minutes, plus a refresh token) and issues a new **sync token** bound to `deviceId`.',
      "The device id is chosen by the client once and kept; signing in again on the same device replaces that device's sync token.",
      'Keep the sync token in the OS keyring: it keeps background sync running after the UI session ends.',
      '',
      'A wrong email and a wrong password get the same `401 unauthorized`. Repeated failures per account and per address are answered `429 rate_limited` with `Retry-After`.',
    ].join('\n'),
    token: 'none',
    body: { schema: signInRequestSchema, example: examples.signInRequest },
    success: { status: 200, description: 'Signed in.', schema: signInResponseSchema, example: examples.signInResponse },
    errors: ['unauthorized', 'rate_limited'],
  },
  {
    method: 'post',
    path: '/v1/auth/refresh',
    operationId: 'refresh',
    tag: 'Accounts',
    summary: 'Exchange a refresh token for a new auth token',
    description:
      'Refresh tokens rotate: each use returns a new one and the old one stops working. Presenting an already-used refresh token revokes the whole session (theft detection) and is answered `401 token_revoked`; sign in again.',
    token: 'none',
    body: { schema: refreshRequestSchema, example: examples.refreshRequest },
    success: {
      status: 200,
      description: 'A new auth token and the next refresh token.',
      schema: refreshResponseSchema,
      example: examples.refreshResponse,
    },
    errors: ['unauthorized', 'token_expired', 'token_revoked'],
  },
  {
    method: 'post',
    path: '/v1/auth/sign-out',
    operationId: 'signOut',
    tag: 'Accounts',
    summary: 'End the UI session',
    description:
      "The session's auth and refresh tokens stop working at once. The device's sync token is not touched: background sync keeps running.",
    token: 'authToken',
    success: { status: 200, description: 'Signed out.', schema: acknowledgementSchema, example: examples.ok },
    errors: [],
  },
  {
    method: 'get',
    path: '/v1/me',
    operationId: 'getMe',
    tag: 'Accounts',
    summary: 'The caller and their organizations',
    description: "Organizations come from the server's membership rows, with the caller's role in each.",
    token: 'authToken',
    success: { status: 200, description: 'The caller.', schema: meResponseSchema, example: examples.me },
    errors: [],
  },
  {
    method: 'get',
    path: '/v1/devices',
    operationId: 'listDevices',
    tag: 'Accounts',
    summary: "The caller's devices",
    description: 'Every device the caller signed in on, with its last contact and whether its sync token was revoked.',
    token: 'authToken',
    success: {
      status: 200,
      description: "The caller's devices.",
      schema: devicesResponseSchema,
      example: examples.devices,
    },
    errors: [],
  },
  {
    method: 'delete',
    path: '/v1/devices/{deviceId}',
    operationId: 'revokeDevice',
    tag: 'Accounts',
    summary: "Revoke one of the caller's devices",
    description:
      "Revokes the device's sync token (a lost or stolen laptop). Its next push or pull is answered `401 token_revoked`; signing in on it again issues a new token.",
    token: 'authToken',
    pathParams: z.object({ deviceId: deviceIdSchema }),
    success: {
      status: 200,
      description: "The device's sync token is revoked.",
      schema: acknowledgementSchema,
      example: examples.ok,
    },
    errors: ['not_found'],
  },
];
