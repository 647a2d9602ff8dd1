/**
 * A client process killed with SIGKILL right after local writes (before any
 * push) loses nothing: reopened, its store still holds every write that
 * returned, and one sync puts them all on the server.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from '../../server/test/support/accounts.ts';
import { createOrganization } from '../../server/test/support/orgs.ts';
import { startServerProcess, type ServerProcess } from '../../server/test/support/server-process.ts';
import { openSyncEngine } from '../src/index.ts';
import { tempDir } from '../../../test/support/temp-dir.ts';

const CHILD = resolve(fileURLToPath(new URL('./support/write-until-killed.ts', import.meta.url)));

let server: ServerProcess;
let user: SignedUpUser;
let organizationId: string;

beforeAll(async () => {
  server = await startServerProcess();
  user = await signUp(server.url);
  ({ organizationId } = await createOrganization(server.url, user));
});
afterAll(() => server?.stop());

/** Runs the writer until it has reported `atLeast` writes, then SIGKILLs it; returns the reported record ids and indexes. */
async function writeAndKill(dbPath: string, atLeast: number): Promise<Map<string, number>> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dbPath, server.url, user.deviceId, organizationId], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const written = new Map<string, number>();
  let output = '';
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((done) => child.once('exit', (_code, signal) => done(signal)));
  await new Promise<void>((ready, fail) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const lines = output.split('\n');
      output = lines.pop()!;
      for (const line of lines) {
        const match = /^wrote (\S+) (\d+)$/.exec(line);
        if (match) written.set(match[1]!, Number(match[2]));
      }
      if (written.size >= atLeast) {
        child.kill('SIGKILL');
        ready();
      }
    });
    child.once('exit', () => (written.size >= atLeast ? ready() : fail(new Error(`writer exited early:\n${errors}`))));
  });
  expect(await exited).toBe('SIGKILL');
  return written;
}

describe('a client killed between the local write and the push', () => {
  it('loses nothing: after restart every reported write is in the store and reaches the server once', async () => {
    const dbPath = join(tempDir('crash'), 'client.sqlite');
    const written = await writeAndKill(dbPath, 40);

    const reopened = await openSyncEngine({
      dbPath,
      serverUrl: server.url,
      deviceId: user.deviceId,
      getSyncToken: () => user.syncToken,
    });
    try {
      for (const [id, i] of written)
        expect(reopened.get('patients', id)).toMatchObject({ given_name: `Crash${i}`, phone: String(i), version: 0 });
      // The kill may land after a write but before its id was printed: the store may hold more, never less.
      expect(reopened.status().pending).toBeGreaterThanOrEqual(written.size * 2);
      await reopened.syncNow();
      expect(reopened.status()).toMatchObject({ phase: 'idle', pending: 0, openConflicts: 0, deadLetters: 0 });
      for (const id of written.keys()) expect(reopened.get('patients', id)?.version).toBe(2);
    } finally {
      await reopened.close();
    }

    // What the server has, seen by a fresh store of the same account.
    const fresh = await openSyncEngine({
      dbPath: ':memory:',
      serverUrl: server.url,
      deviceId: user.deviceId,
      getSyncToken: () => user.syncToken,
    });
    try {
      await fresh.syncNow();
      for (const [id, i] of written)
        expect(fresh.get('patients', id)).toMatchObject({ given_name: `Crash${i}`, phone: String(i), version: 2 });
    } finally {
      await fresh.close();
    }
  });
});
