/**
 * SIGTERM while a push is in flight: the server stops accepting, finishes the
 * push, answers it, and exits 0; after a restart every acknowledged event is
 * there (PROTOCOL §3 "one transaction", operations guide "graceful shutdown").
 */
import { expect, it } from 'vitest';
import { signUp } from './support/accounts.ts';
import { createOrganization, insertEvent, push, rows } from './support/orgs.ts';
import { startServerProcess } from './support/server-process.ts';
import { call } from './support/http-client.ts';

it('finishes an in-flight push before exiting on SIGTERM', async () => {
  const server = await startServerProcess();
  const alice = await signUp(server.url);
  const { organizationId } = await createOrganization(server.url, alice);
  const events = Array.from({ length: 500 }, () => insertEvent('patients', rows.patient(organizationId)));

  const answer = push(server.url, alice, events);
  // Let the request reach the server, then ask it to stop while it works.
  await new Promise((r) => setTimeout(r, 30));
  const exited = new Promise<number | null>((done) => server.child.once('exit', (code) => done(code)));
  server.child.kill('SIGTERM');

  const res = await answer;
  expect(res.status).toBe(200);
  expect(res.body.results.every((r) => r.status === 'applied')).toBe(true);
  expect(await exited).toBe(0);

  // Nothing acknowledged is lost: a restarted server on the same data folder has every event.
  const again = await startServerProcess({ dataDir: server.dataDir });
  try {
    const replay = await push(again.url, alice, events.slice(0, 10));
    expect(replay.body.results.map((r) => r.status)).toEqual(Array(10).fill('duplicate'));
    expect((await call(again.url, 'GET', '/healthz')).status).toBe(200);
  } finally {
    await again.stop();
  }
}, 60_000);
