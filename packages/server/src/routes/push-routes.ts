/**
 * `POST /v1/sync/push` (PROTOCOL §3): request-level checks, then the push
 * pipeline, then the device's outbox report. Request-level failures are HTTP
 * errors; everything about a single event is a per-event result in a 200.
 */
import { ApiError, MAX_BATCH, pushRequestSchema, type EventResult, type PushResponse } from '@clinicsync/protocol';
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import type { ServerDb } from '../db/schema.ts';
import { requireSyncToken } from '../auth/require-token.ts';
import { createPerUserSlots } from '../http/per-user-slots.ts';
import { parseInput, readJson } from '../http/read-json.ts';
import type { ServerDeps } from '../server-deps.ts';
import type { ChangeNotifier } from '../sync/live/change-notifier.ts';
import { reportDevice } from '../sync/push/report-device.ts';
import { runPush } from '../sync/push/run-push.ts';
import { checkSchemaVersion } from '../sync/schema-version-gate.ts';
import { rateLimited } from '../http/rate-limited.ts';
import { announce } from '../sync/live/announce.ts';

type PushRouteDeps = Pick<ServerDeps, 'db' | 'caps' | 'clock' | 'secrets' | 'metrics' | 'config' | 'hashing'> & {
  readonly notifier: ChangeNotifier;
};

/** Mounted at `/v1/sync`. */
export function createPushRoutes(deps: PushRouteDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const pushing = createPerUserSlots(deps.config.maxConcurrentPushesPerUser);

  // Before the body is even read: one person's concurrent pushes beyond their slots cost nothing (docs/security.md).
  routes.post('/push', requireSyncToken(deps), async function limitConcurrentPushes(c, next) {
    const { userId } = c.get('syncActor');
    if (!pushing.take(userId)) {
      throw rateLimited(
        `At most ${deps.config.maxConcurrentPushesPerUser} pushes of one person run at once. Retry in a moment.`,
        1,
      );
    }
    try {
      await next();
    } finally {
      pushing.release(userId);
    }
  });

  routes.post('/push', async (c) => {
    const actor = c.get('syncActor');
    const body = await readJson(c, z.unknown(), { perEvent: ['events'] });
    const raw =
      typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};

    // Both checks look at the raw body so that an oversized batch costs no
    // per-event parsing and an old client is told to upgrade even when the
    // rest of its request no longer matches today's schema.
    if (Array.isArray(raw.events) && raw.events.length > MAX_BATCH) {
      throw new ApiError('batch_too_large', `A push carries at most ${MAX_BATCH} events.`, {
        details: { maxEvents: MAX_BATCH, events: raw.events.length },
      });
    }
    checkSchemaVersion(raw.schemaVersion, deps.config.minSupportedSchemaVersion);

    const request = parseInput(pushRequestSchema, body, 'The push request is invalid.');
    if (request.deviceId !== actor.deviceId)
      throw new ApiError('forbidden', 'The deviceId is not the device of this sync token.');

    const rawEvents = raw.events as readonly unknown[];
    // The outbox report goes into the batch's transaction when there is one (report-device.ts), else alone.
    const report = (db: Kysely<ServerDb>) =>
      reportDevice(db, {
        actor,
        schemaVersion: request.schemaVersion,
        appVersion: request.appVersion,
        outbox: request.outbox,
        now: deps.clock.now().toISOString(),
      });
    const results =
      request.events.length === 0
        ? []
        : await runPush(deps, {
            actor,
            schemaVersion: request.schemaVersion,
            events: request.events.map((event, index) => ({ eventId: event.eventId, raw: rawEvents[index] })),
            // After commit, so a woken pull sees the rows.
            onCommitted: (topics) => announce(deps.notifier, topics, c.get('log')),
            alsoInTransaction: report,
          });
    if (request.events.length === 0) await report(deps.db);
    const now = deps.clock.now().toISOString();

    // Counts only: event contents are patient data.
    const counts = countByStatus(results);
    for (const [outcome, n] of Object.entries(counts)) if (n > 0) deps.metrics.pushEvents.inc({ outcome }, n);
    c.get('log').info({ push: counts }, 'push processed');
    const response: PushResponse = { results, serverTime: now };
    return c.json(response);
  });

  return routes;
}

function countByStatus(results: readonly EventResult[]): Record<EventResult['status'], number> {
  const counts = { applied: 0, duplicate: 0, conflict: 0, rejected: 0 };
  for (const result of results) counts[result.status] += 1;
  return counts;
}
