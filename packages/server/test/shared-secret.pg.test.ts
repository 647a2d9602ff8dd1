/**
 * Two instances on one PostgreSQL database, started without
 * CLINICSYNC_JWT_SECRET and with data folders of their own, still agree on
 * the signing secret: an auth token or pull cursor from one works on the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from './support/accounts.ts';
import { freshPostgresDatabase, requirePostgres } from './support/dialects.ts';
import { call } from './support/http-client.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

describe.skipIf(!requirePostgres())('a generated secret shared through PostgreSQL [postgres]', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  beforeAll(async () => {
    const db = await freshPostgresDatabase();
    a = await startServerProcess({ db, env: { CLINICSYNC_JWT_SECRET: '' } });
    b = await startServerProcess({ db, env: { CLINICSYNC_JWT_SECRET: '' } });
  });
  afterAll(async () => {
    await Promise.all([a.stop(), b.stop()]);
  });

  it('lets a token and a cursor issued by one instance work on the other', async () => {
    const user = await signUp(a.url);
    const me = await call(b.url, 'GET', '/v1/me', { token: user.authToken });
    expect(me.status).toBe(200);

    const query = (cursor?: string) =>
      `/v1/sync/pull?${new URLSearchParams({ deviceId: user.deviceId, schemaVersion: '1', ...(cursor ? { cursor } : {}) })}`;
    const first = await call(a.url, 'GET', query(), { token: user.syncToken });
    expect(first.status).toBe(200);
    const next = await call(b.url, 'GET', query(first.body.cursor), { token: user.syncToken });
    expect(next.status).toBe(200);
  });
});
