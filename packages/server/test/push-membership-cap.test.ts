/**
 * Nobody can be made a member of more than MAX_MEMBERSHIPS_PER_USER
 * organizations: the person's pull cursor keeps a position per organization,
 * and a stranger adding them to hundreds would otherwise break their sync.
 */
import { MAX_MEMBERSHIPS_PER_USER } from '@clinicsync/protocol';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signUp } from './support/accounts.ts';
import { insertEvent, pushResults, type PushEvent } from './support/orgs.ts';
import { call } from './support/http-client.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(() => server.stop());

function bootstrapWith(adminId: string, extraMemberId: string): PushEvent[] {
  const organizationId = randomUUID();
  return [
    insertEvent('organizations', { name: 'Clinic' }, organizationId),
    insertEvent('members', { organization_id: organizationId, user_id: adminId, role: 'admin' }),
    insertEvent('members', { organization_id: organizationId, user_id: extraMemberId, role: 'receptionist' }),
  ];
}

it(`refuses to add a person to more than ${MAX_MEMBERSHIPS_PER_USER} organizations, and their pull keeps working`, async () => {
  const victim = await signUp(server.url);
  const first = await signUp(server.url);
  const second = await signUp(server.url);

  const events = Array.from({ length: MAX_MEMBERSHIPS_PER_USER }, () => bootstrapWith(first.userId, victim.userId)).flat();
  const results = await pushResults(server.url, first, events);
  expect(results.every((r) => r.status === 'applied')).toBe(true);

  const over = await pushResults(server.url, second, bootstrapWith(second.userId, victim.userId));
  expect(over.map((r) => r.status)).toEqual(['applied', 'applied', 'rejected']);
  expect(over[2]).toMatchObject({ status: 'rejected', code: 'forbidden' });

  // The victim's device still pulls, cursor and all.
  let cursor: string | undefined;
  for (let page = 0; page < 10; page++) {
    const query = new URLSearchParams({ deviceId: victim.deviceId, schemaVersion: '1', limit: '5000', ...(cursor ? { cursor } : {}) });
    const res = await call(server.url, 'GET', `/v1/sync/pull?${query}`, { token: victim.syncToken });
    expect(res.status).toBe(200);
    cursor = res.body.cursor;
    if (!res.body.hasMore) break;
  }
  const again = await call(server.url, 'GET', `/v1/sync/pull?${new URLSearchParams({ deviceId: victim.deviceId, schemaVersion: '1', cursor: cursor! })}`, { token: victim.syncToken });
  expect(again.status).toBe(200);
  expect(again.body.changes).toEqual([]);
}, 60_000);
