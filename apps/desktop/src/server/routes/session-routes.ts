/**
 * The UI session: create an account, sign in (which also hands the device a
 * sync token), keep the session alive while someone works, sign out, and
 * sign out while stopping this device's sync.
 */
import { ApiError } from '@clinicsync/protocol';
import { Hono } from 'hono';
import { registerBodySchema, signInBodySchema } from '../../shared/local-api.ts';
import type { DeviceSync } from '../../worker/device-sync.ts';
import type { PeopleDirectory } from '../people-directory.ts';
import type { RemoteApi } from '../remote-api.ts';
import { unwrapRemote } from '../remote-failure.ts';
import type { UiSession } from '../ui-session.ts';
import { readBody } from './require-session.ts';

export type SessionRouteDeps = {
  readonly session: UiSession;
  readonly remote: RemoteApi;
  readonly sync: DeviceSync;
  readonly people: PeopleDirectory;
  readonly deviceId: () => string;
};

export function createSessionRoutes(deps: SessionRouteDeps): Hono {
  const app = new Hono();

  app.get('/', (c) => c.json(deps.session.view()));

  app.post('/register', async (c) => {
    const body = await readBody(c, registerBodySchema);
    const created = unwrapRemote(await deps.remote.register(body));
    return c.json(created, 201);
  });

  app.post('/sign-in', async (c) => {
    const body = await readBody(c, signInBodySchema);
    const outcome = await deps.session.signIn(body.email, body.password);
    switch (outcome.kind) {
      case 'signed_in':
        if (outcome.view.state === 'active') deps.people.remember(outcome.view.user.id, outcome.view.user.name);
        return c.json(outcome.view);
      case 'unreachable':
        throw new ApiError(
          'unavailable',
          'The sync server cannot be reached. Without it, only people who signed in on this computer before can sign in, with the same password.',
        );
      case 'refused':
        if (outcome.status === 401) throw new ApiError('invalid_credentials', 'The email or password is not right.');
        if (outcome.status === 429)
          throw new ApiError('rate_limited', 'Too many sign-in attempts. Wait a few minutes and try again.');
        return unwrapRemote({
          kind: 'refused',
          status: outcome.status,
          code: outcome.code,
          message: outcome.message,
          details: {},
        });
    }
  });

  app.post('/activity', async (c) => {
    await deps.session.touch();
    return c.json(deps.session.view());
  });

  app.post('/lock', async (c) => {
    await deps.session.lock();
    return c.json(deps.session.view());
  });

  app.post('/sign-out', async (c) => {
    await deps.session.signOut();
    return c.json(deps.session.view());
  });

  // Revoking needs the server: a token that is only forgotten locally would
  // stay valid there. Offline, the user is told to retry or ask an admin.
  app.post('/stop-syncing', async (c) => {
    const deviceId = deps.deviceId();
    const revoked = await deps.session.withAuth((token) => deps.remote.revokeMyDevice(token, deviceId));
    // A device the server never saw (no sign-in reached it) has nothing to revoke.
    if (!(revoked.kind === 'refused' && revoked.status === 404)) unwrapRemote(revoked);
    await deps.sync.stop();
    await deps.session.signOut();
    return c.json(deps.session.view());
  });

  return app;
}
