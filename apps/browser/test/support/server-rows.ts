/**
 * What the sync server holds, read the way a device reads it: a test device
 * of the user signs in through the API and pulls every page. The test never
 * reads the server's database behind its back.
 */
import { randomUUID } from 'node:crypto';
import { SCHEMA_VERSION } from '@clinicsync/protocol';
import { call } from '../../../../packages/server/test/support/http-client.ts';

export type ServerReader = { rows(table: string): Promise<Record<string, unknown>[]> };

export async function serverReader(
  serverUrl: string,
  user: { email: string; password: string },
): Promise<ServerReader> {
  const deviceId = randomUUID();
  const signIn = await call(serverUrl, 'POST', '/v1/auth/sign-in', {
    body: { email: user.email, password: user.password, deviceId, deviceName: 'test reader' },
  });
  if (signIn.status !== 200) throw new Error(`reader sign-in answered ${signIn.status}`);
  const token: string = signIn.body.syncToken;
  return {
    async rows(table) {
      const latest = new Map<string, Record<string, unknown> | null>();
      let cursor: string | undefined;
      for (;;) {
        const query = new URLSearchParams({
          deviceId,
          limit: '5000',
          schemaVersion: String(SCHEMA_VERSION),
          ...(cursor ? { cursor } : {}),
        });
        const page = await call(serverUrl, 'GET', `/v1/sync/pull?${query}`, { token });
        if (page.status !== 200) throw new Error(`pull answered ${page.status}`);
        for (const change of page.body.changes)
          if (change.table === table) latest.set(change.recordId, change.op === 'DELETE' ? null : change.data);
        cursor = page.body.cursor;
        if (!page.body.hasMore) break;
      }
      return [...latest.values()].filter((row): row is Record<string, unknown> => row !== null);
    },
  };
}
