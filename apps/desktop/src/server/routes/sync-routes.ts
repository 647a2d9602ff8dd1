/**
 * The sync side for the page: the change feed (status bar, session state),
 * "sync now", the conflict inbox and the refused changes. The feed carries
 * counts and states only, so it is served to a locked app too; conflicts and
 * refused changes hold patient data and need an active session.
 */
import { ApiError } from '@clinicsync/protocol';
import { Hono, type MiddlewareHandler } from 'hono';
import { resolveConflictBodySchema, type ConflictView, type DeadLetterView, type FeedSnapshot } from '../../shared/local-api.ts';
import type { ChangeFeed } from '../change-feed.ts';
import { engineCall } from '../engine-errors.ts';
import type { DeviceSync } from '../../worker/device-sync.ts';
import { readBody, type LocalEnv } from './require-session.ts';

export type SyncRouteDeps = {
  readonly sync: DeviceSync;
  readonly feed: ChangeFeed;
  readonly snapshot: () => FeedSnapshot;
  readonly requireSession: MiddlewareHandler<LocalEnv>;
  readonly dataChanged: () => void;
  /** Longest wait of one long-poll. */
  readonly longPollMs?: number;
};

export function createSyncRoutes(deps: SyncRouteDeps): Hono<LocalEnv> {
  const app = new Hono<LocalEnv>();

  app.get('/feed', async (c) => {
    const after = Number(c.req.query('after') ?? 0);
    await deps.feed.waitPast(Number.isFinite(after) ? after : 0, deps.longPollMs ?? 25_000, c.req.raw.signal);
    return c.json(deps.snapshot());
  });

  app.post('/sync/now', (c) => {
    deps.sync.syncNow();
    return c.json({ started: true }, 202);
  });

  app.get('/sync/conflicts', deps.requireSession, (c) => {
    const views: ConflictView[] = c.var.engine.conflicts().map((x) => ({
      id: x.id,
      table: x.table,
      recordId: x.recordId,
      fields: x.fields,
      mine: x.local,
      theirs: x.server,
      changedHere: x.op === 'UPDATE' && x.changes ? Object.keys(x.changes) : null,
      createdAt: x.createdAt,
    }));
    return c.json(views);
  });

  app.post('/sync/conflicts/:id/resolve', deps.requireSession, async (c) => {
    const resolution = await readBody(c, resolveConflictBodySchema);
    await engineCall(() => c.var.engine.resolveConflict(c.req.param('id'), resolution));
    deps.dataChanged();
    return c.json({ resolved: true });
  });

  app.get('/sync/dead-letters', deps.requireSession, (c) => {
    const views: DeadLetterView[] = c.var.engine.deadLetters().map((d) => ({ ...d }));
    return c.json(views);
  });

  app.post('/sync/dead-letters/:id/discard', deps.requireSession, async (c) => {
    await engineCall(() => c.var.engine.discardDeadLetter(c.req.param('id')));
    deps.dataChanged();
    return c.json({ discarded: true });
  });

  app.all('/sync/*', () => {
    throw new ApiError('not_found', 'There is no such route.');
  });

  return app;
}
