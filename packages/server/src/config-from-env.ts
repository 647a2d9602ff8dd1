/**
 * Reads server tunables from the environment, validated: a typo in an
 * operator's setting stops the server at start-up instead of being ignored.
 * See docs/operations.md for the reference.
 */
import { SCHEMA_VERSION } from '@clinicsync/protocol';
import { z } from 'zod';
import type { ServerConfig } from './config.ts';
import { publicUrlSchema } from './http/client-url.ts';

const seconds = z.coerce.number().int().min(1);
const count = z.coerce.number().int().min(1);

const ENV = {
  CLINICSYNC_AUTH_TTL_SECONDS: ['authTokenTtlSeconds', seconds],
  CLINICSYNC_REFRESH_TTL_SECONDS: ['refreshTokenTtlSeconds', seconds],
  CLINICSYNC_BODY_LIMIT_BYTES: ['bodyLimitBytes', z.coerce.number().int().min(1024)],
  CLINICSYNC_SIGNIN_FREE_FAILURES: ['signInFreeFailures', count],
  CLINICSYNC_SIGNIN_ACCOUNT_FREE_FAILURES: ['signInAccountFreeFailures', count],
  CLINICSYNC_SIGNIN_ADDRESS_FREE_FAILURES: ['signInAddressFreeFailures', count],
  CLINICSYNC_SIGNIN_MAX_DELAY_SECONDS: ['signInMaxDelaySeconds', seconds],
  CLINICSYNC_SIGNIN_WIDE_MAX_DELAY_SECONDS: ['signInWideMaxDelaySeconds', seconds],
  CLINICSYNC_SIGNIN_FORGET_AFTER_SECONDS: ['signInForgetAfterSeconds', seconds],
  CLINICSYNC_REGISTER_MAX_ATTEMPTS: ['registerMaxAttempts', count],
  CLINICSYNC_REGISTER_WINDOW_SECONDS: ['registerWindowSeconds', seconds],
  CLINICSYNC_MAX_CONCURRENT_PUSHES_PER_USER: ['maxConcurrentPushesPerUser', count],
  CLINICSYNC_INVITATION_TTL_DAYS: ['invitationTtlDays', z.coerce.number().int().min(1).max(365)],
  CLINICSYNC_APPLIED_EVENTS_RETENTION_DAYS: ['appliedEventsRetentionDays', z.coerce.number().int().min(1)],
  CLINICSYNC_MAX_CONCURRENT_PULLS: ['maxConcurrentPulls', count],
  CLINICSYNC_MAX_WAITING_PULLS_PER_USER: ['maxWaitingPullsPerUser', count],
  CLINICSYNC_MAX_WAITING_PULLS: ['maxWaitingPulls', count],
  CLINICSYNC_TRUST_PROXY: [
    'trustProxy',
    z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1'),
  ],
  CLINICSYNC_METRICS_TOKEN: ['metricsToken', z.string().min(16)],
  CLINICSYNC_PUBLIC_URL: ['publicUrl', publicUrlSchema],
  // Above the current version no client could sync at all, so it is refused as a typo.
  CLINICSYNC_MIN_SCHEMA_VERSION: ['minSupportedSchemaVersion', z.coerce.number().int().min(1).max(SCHEMA_VERSION)],
} as const satisfies Record<string, readonly [keyof ServerConfig, z.ZodType]>;

/** The config values set in `env`; throws naming the variable when one is invalid. */
export function configFromEnv(env: Readonly<Record<string, string | undefined>>): Partial<ServerConfig> {
  const config: Record<string, unknown> = {};
  for (const [name, [key, schema]] of Object.entries(ENV)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new Error(`invalid ${name}`);
    config[key] = parsed.data;
  }
  return config as Partial<ServerConfig>;
}
