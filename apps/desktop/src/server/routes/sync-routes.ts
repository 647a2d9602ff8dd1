/**
 * The sync side for the page: the change feed (status bar, session state),
 * "sync now", the conflict inbox and the refused changes. The feed carries
 * counts and states only, so it is served to a locked app too; conflicts and
 * refused changes hold patient data and need an active session.
 */
import { ApiError } from '@clinicsync/protocol';
import { Hono, type MiddlewareHandler } from 'hono';
import type { Conflict } from '@clinicsync/client';
import { isTableName } from '@clinicsync/protocol';
import {
  draftBodySchema,
  resendDeadLetterBodySchema,
  resolveConflictBodySchema,
  type ConflictView,
  type DeadLetterView,
  type DraftView,
  type FeedSnapshot,
  type HeldChangeView,
  type RecordSyncView,
  type UnsentResolutionView,
} from '../../shared/local-api.ts';
import { recordSubject } from '../record-subject.ts';
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

  const conflictView = (x: Conflict): ConflictView => ({
    id: x.id,
    table: x.table,
    recordId: x.recordId,
    fields: x.fields,
    mine: x.local,
    theirs: x.server,
    changedHere: x.op === 'UPDATE' && x.changes ? Object.keys(x.changes) : null,
    conflictingFields: x.conflictingFields,
    op: x.op,
    createdAt: x.createdAt,
  });

  app.get('/sync/conflicts', deps.requireSession, (c) => c.json(c.var.engine.conflicts().map(conflictView)));

  app.get('/sync/resolutions', deps.requireSession, (c) => {
    const views: UnsentResolutionView[] = c.var.engine.unsentResolutions().map((r) => ({
      conflict: conflictView(r.conflict),
      kind: r.resolution.kind,
      resolvedAt: r.resolvedAt,
      canUndo: r.canUndo,
    }));
    return c.json(views);
  });

  app.post('/sync/conflicts/:id/undo', deps.requireSession, (c) => {
    engineCall(() => c.var.engine.undoResolution(c.req.param('id')));
    deps.dataChanged();
    return c.json({ undone: true });
  });

  app.get('/sync/held', deps.requireSession, (c) => {
    const engine = c.var.engine;
    const views: HeldChangeView[] = engine.heldChanges().map((h) => ({
      eventId: h.eventId,
      table: h.table,
      recordId: h.recordId,
      op: h.op,
      subject: recordSubject(engine, h.table, h.recordId, null),
      code: h.code,
      message: h.message,
      attempts: h.attempts,
      retryAt: h.retryAt,
    }));
    return c.json(views);
  });

  // Counts and states only (no patient data): which records of a table are not simply sent.
  app.get('/sync/record-states/:table', deps.requireSession, (c) => {
    const table = c.req.param('table');
    if (!isTableName(table)) throw new ApiError('not_found', 'There is no such table.');
    const views: RecordSyncView[] = c.var.engine.recordSyncStates(table).map((e) => ({
      recordId: e.recordId,
      state: e.sync.state,
      held: e.sync.state === 'not_sent' ? e.sync.held : null,
    }));
    return c.json(views);
  });

  app.get('/drafts/:key', deps.requireSession, (c) => {
    const draft = engineCall(() => c.var.engine.draft(c.req.param('key')));
    if (!draft) throw new ApiError('not_found', 'There is no draft with this key.');
    const view: DraftView = { key: draft.key, values: draft.values, updatedAt: draft.updatedAt };
    return c.json(view);
  });

  app.put('/drafts/:key', deps.requireSession, async (c) => {
    const { values } = await readBody(c, draftBodySchema);
    const draft = engineCall(() => c.var.engine.saveDraft(c.req.param('key'), values));
    return c.json({ key: draft.key, updatedAt: draft.updatedAt });
  });

  app.delete('/drafts/:key', deps.requireSession, (c) => {
    engineCall(() => c.var.engine.discardDraft(c.req.param('key')));
    return c.json({ discarded: true });
  });

  app.post('/sync/conflicts/:id/resolve', deps.requireSession, async (c) => {
    const resolution = await readBody(c, resolveConflictBodySchema);
    await engineCall(() => c.var.engine.resolveConflict(c.req.param('id'), resolution));
    deps.dataChanged();
    return c.json({ resolved: true });
  });

  app.get('/sync/dead-letters', deps.requireSession, (c) => {
    const engine = c.var.engine;
    const views: DeadLetterView[] = engine
      .deadLetters()
      .map((d) => ({ ...d, subject: recordSubject(engine, d.table, d.recordId, d.record) }));
    return c.json(views);
  });

  app.post('/sync/dead-letters/:id/resend', deps.requireSession, async (c) => {
    const { data } = await readBody(c, resendDeadLetterBodySchema);
    engineCall(() => c.var.engine.resendDeadLetter(c.req.param('id'), data));
    deps.dataChanged();
    return c.json({ resent: true });
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
