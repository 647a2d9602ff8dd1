import { MIN_SUPPORTED_SCHEMA_VERSION } from '@clinicsync/protocol';

/** Tunables of one server instance, with the defaults PROTOCOL.md states. */
export type ServerConfig = {
  /** Lifetime of an auth token (PROTOCOL §1: 15 minutes). */
  readonly authTokenTtlSeconds: number;
  /** Lifetime of a refresh-token session family without use. */
  readonly refreshTokenTtlSeconds: number;
  /** Largest accepted request body (PROTOCOL: 5 MiB). */
  readonly bodyLimitBytes: number;
  /**
   * Sign-in throttling (docs/security.md): free failures per account and
   * address (or per account and known device), per account, per address;
   * the longest wait for the first kind and for the two wider ones; how long
   * after its last failure a bucket forgets.
   */
  readonly signInFreeFailures: number;
  readonly signInAccountFreeFailures: number;
  readonly signInAddressFreeFailures: number;
  readonly signInMaxDelaySeconds: number;
  readonly signInWideMaxDelaySeconds: number;
  readonly signInForgetAfterSeconds: number;
  /** Whether to trust `X-Forwarded-For` for the client address (only behind a proxy you run). */
  readonly trustProxy: boolean;
  /** Registrations allowed per client address in `registerWindowSeconds` (a brake on bulk sign-ups and email probing). */
  readonly registerMaxAttempts: number;
  readonly registerWindowSeconds: number;
  /** Pushes one person may have running at once on one instance; more answer `429 rate_limited` (docs/security.md "Cheap refusal"). */
  readonly maxConcurrentPushesPerUser: number;
  /** Days an invitation waits for its answer (PROTOCOL §1b: 14). */
  readonly invitationTtlDays: number;
  /** Pulls one instance builds at once; more wait in line, so a crowd's first sync cannot exhaust memory. */
  readonly maxConcurrentPulls: number;
  /** Waiting pulls (PROTOCOL §4 "Live") one person may hold on one instance at once; more answer `429` (a device's newer wait replaces its older one). */
  readonly maxWaitingPullsPerUser: number;
  /** Waiting pulls one instance holds at once; more answer `429` with `Retry-After`. */
  readonly maxWaitingPulls: number;
  /** How long push outcomes are remembered for idempotency (older re-sends meet the version guard instead). */
  readonly appliedEventsRetentionDays: number;
  /**
   * The address clients reach this server at (`https://clinic.example.org`,
   * optionally with a path prefix), when a proxy in front of it forwards
   * requests under another host: absolute links the server writes (FHIR
   * paging, `fullUrl`, export files) use it. Unset, they follow the request.
   */
  readonly publicUrl?: string;
  /** When set, `GET /metrics` requires `Authorization: Bearer <metricsToken>`. */
  readonly metricsToken?: string;
  /**
   * Oldest client schema version push and pull still serve (PROTOCOL §5);
   * older clients get 426 and keep queueing. Raise it to retire old apps.
   */
  readonly minSupportedSchemaVersion: number;
};

export const DEFAULT_CONFIG: ServerConfig = {
  authTokenTtlSeconds: 15 * 60,
  refreshTokenTtlSeconds: 30 * 24 * 60 * 60,
  bodyLimitBytes: 5 * 1024 * 1024,
  signInFreeFailures: 5,
  signInAccountFreeFailures: 10,
  signInAddressFreeFailures: 100,
  signInMaxDelaySeconds: 60,
  signInWideMaxDelaySeconds: 15 * 60,
  signInForgetAfterSeconds: 60 * 60,
  trustProxy: false,
  maxConcurrentPulls: 16,
  maxWaitingPullsPerUser: 20,
  maxWaitingPulls: 10_000,
  invitationTtlDays: 14,
  maxConcurrentPushesPerUser: 3,
  appliedEventsRetentionDays: 90,
  registerMaxAttempts: 500,
  registerWindowSeconds: 60 * 60,
  minSupportedSchemaVersion: MIN_SUPPORTED_SCHEMA_VERSION,
};
