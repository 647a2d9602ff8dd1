/**
 * Auth tokens (PROTOCOL §1): short-lived HS256 JWTs for the UI session,
 * carrying the user (`sub`), the session (`sid`) and `kind: "auth"`. All time
 * comes from the injected clock so tests can move past expiry.
 */
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { ServerConfig } from '../config.ts';
import type { Clock } from '../deps.ts';
import type { Secrets } from '../secrets.ts';

export const AUTH_TOKEN_KIND = 'auth';

export type IssuedAuthToken = { readonly token: string; readonly expiresAt: string };

/** Signs an auth token for one session; `expiresAt` is the ISO form of its `exp`. */
export async function issueAuthToken(
  deps: { clock: Clock; secrets: Secrets; config: Pick<ServerConfig, 'authTokenTtlSeconds'> },
  claims: { userId: string; sessionId: string },
): Promise<IssuedAuthToken> {
  const issuedAt = Math.floor(deps.clock.now().getTime() / 1000);
  const expiresAt = issuedAt + deps.config.authTokenTtlSeconds;
  const token = await new SignJWT({ kind: AUTH_TOKEN_KIND, sid: claims.sessionId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(deps.secrets.jwtKey);
  return { token, expiresAt: new Date(expiresAt * 1000).toISOString() };
}

export type AuthTokenCheck =
  | { kind: 'valid'; userId: string; sessionId: string }
  /** Signed by us and of the auth kind, but past `exp`. */
  | { kind: 'expired' }
  /** Not a token we signed, or not an auth token. */
  | { kind: 'invalid' };

/** Checks signature, algorithm, kind and expiry against the injected clock. Never throws for bad input. */
export async function verifyAuthToken(
  deps: { clock: Clock; secrets: Secrets },
  token: string,
): Promise<AuthTokenCheck> {
  try {
    const { payload } = await jwtVerify(token, deps.secrets.jwtKey, {
      algorithms: ['HS256'],
      currentDate: deps.clock.now(),
      requiredClaims: ['sub', 'exp'],
    });
    if (!isAuthPayload(payload)) return { kind: 'invalid' };
    return { kind: 'valid', userId: payload.sub, sessionId: payload.sid };
  } catch (error) {
    // jose checks the signature before the claims, so an expired error means we signed it.
    if (error instanceof errors.JWTExpired && isAuthPayload(error.payload)) return { kind: 'expired' };
    return { kind: 'invalid' };
  }
}

function isAuthPayload(payload: JWTPayload): payload is JWTPayload & { sub: string; sid: string } {
  return payload.kind === AUTH_TOKEN_KIND && typeof payload.sub === 'string' && typeof payload.sid === 'string';
}
