/**
 * What a copied data folder or a lost disk gives up (PROTOCOL §9, issue
 * "Encryption at rest"): a marker typed into a patient's notes through the
 * real desktop appears in no file of its data folder, neither while it runs
 * (WAL included) nor after it is killed, nor in its output; the store does
 * not open without the key; after a restart the store stays locked until its
 * owner signs in, and then holds everything, unsent edits included.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import PlainDatabase from 'better-sqlite3';
import CipherDatabase from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../../../packages/server/test/support/server-process.ts';
import { startDesktopProcess, type DesktopProcess, type LaunchCredentials } from './support/desktop-process.ts';
import { tempDir } from '../../../test/support/temp-dir.ts';

function call(
  desktop: DesktopProcess,
  credentials: LaunchCredentials,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        hostname: '127.0.0.1',
        port: desktop.port,
        path,
        method,
        headers: { host: desktop.host, ...credentials, ...(text ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        let out = '';
        res.on('data', (c: Buffer) => (out += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: out ? JSON.parse(out) : undefined }));
      },
    );
    req.on('error', reject);
    if (text) req.write(text);
    req.end();
  });
}

const MARKER = `ZQX${Math.random().toString(36).slice(2, 10).toUpperCase()}MARKER`;
const ADA = { name: 'Ada Obi', email: 'ada@at-rest.example', password: 'correct horse battery' };

/** Names (relative to `dir`) of every file whose bytes hold `needle`, as UTF-8 or UTF-16. */
function filesContaining(dir: string, needle: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((name) => {
    const path = join(dir, name);
    if (!statSync(path).isFile()) return false;
    const bytes = readFileSync(path);
    return bytes.includes(Buffer.from(needle)) || bytes.includes(Buffer.from(needle, 'utf16le'));
  });
}

describe('the desktop data folder at rest', () => {
  const root = tempDir('at-rest');
  const dataDir = join(root, 'desktop');
  let server: ServerProcess;
  let desktop: DesktopProcess;
  let credentials: LaunchCredentials;
  let orgId: string;
  let patientId: string;
  const own = (method: string, path: string, body?: unknown) => call(desktop, credentials, method, path, body);
  const storeFile = () => readdirSync(dataDir).find((f) => /^local-.*\.sqlite$/.test(f))!;

  beforeAll(async () => {
    server = await startServerProcess({ dataDir: join(root, 'server') });
    desktop = await startDesktopProcess({ serverUrl: server.url, dataDir });
    credentials = await desktop.credentials();
    expect((await own('POST', '/api/session/register', ADA)).status).toBe(201);
    expect((await own('POST', '/api/session/sign-in', { email: ADA.email, password: ADA.password })).status).toBe(200);
    const org = await own('POST', '/api/orgs', { name: 'At Rest Clinic', teamName: 'Outpatients' });
    orgId = org.body.organization.id;
    const patient = await own('POST', '/api/records/patients', {
      data: { organization_id: orgId, given_name: 'Amina', family_name: 'Bello', notes: `first ${MARKER}` },
    });
    expect(patient.status).toBe(201);
    patientId = patient.body.id;
    await own('PATCH', `/api/records/patients/${patientId}`, { data: { notes: `second ${MARKER} edited` } });
  }, 120_000);

  afterAll(async () => {
    await desktop?.stop();
    await server?.stop();
  });

  it('holds the marker in no file of the data folder while running, WAL included, nor in its output', async () => {
    await expect
      .poll(async () => (await own('GET', '/api/feed?after=0')).body.sync.pending, { timeout: 20_000 })
      .toBe(0);
    const names = readdirSync(dataDir);
    expect(names.some((n) => n.endsWith('.sqlite-wal'))).toBe(true);
    expect(filesContaining(dataDir, MARKER)).toEqual([]);
    expect(filesContaining(dataDir, 'Bello')).toEqual([]);
    expect(desktop.output()).not.toContain(MARKER);
    expect(desktop.output()).not.toContain('Bello');
  });

  it('has a store that no SQLite opens without the key', () => {
    const path = join(dataDir, storeFile());
    expect(readFileSync(path).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    expect(() => new PlainDatabase(path, { readonly: true }).prepare('SELECT * FROM patients').all()).toThrow(
      /not a database/,
    );
    expect(() => new CipherDatabase(path, { readonly: true }).prepare('SELECT * FROM patients').all()).toThrow(
      /not a database/,
    );
  });

  it('after being killed, holds the marker nowhere, stays locked at restart and opens, unsent edit included, when its owner signs in offline', async () => {
    // An edit that cannot reach the server: stopped first, so it stays in the outbox.
    await server.stop();
    await own('PATCH', `/api/records/patients/${patientId}`, { data: { notes: `third ${MARKER} unsent` } });
    desktop.child.kill('SIGKILL');
    await desktop.stop();
    expect(filesContaining(dataDir, MARKER)).toEqual([]);

    desktop = await startDesktopProcess({ serverUrl: server.url, dataDir });
    credentials = await desktop.credentials();
    // No key without the password (no OS keyring here): the store is not open, so nothing is served from it.
    const feed = await own('GET', '/api/feed?after=0');
    expect(feed.body.sync.phase).toBe('sign_in_required');
    expect((await own('POST', '/api/session/sign-in', { email: ADA.email, password: 'not the password' })).status).toBe(
      503,
    );
    const signedIn = await own('POST', '/api/session/sign-in', { email: ADA.email, password: ADA.password });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.offline).toBe(true);
    const patient = await own('GET', `/api/records/patients/${patientId}`);
    expect(patient.body.notes).toBe(`third ${MARKER} unsent`);
    expect((await own('GET', '/api/feed?after=0')).body.sync.pending).toBe(1);
    expect(filesContaining(dataDir, MARKER)).toEqual([]);
    expect(desktop.output()).not.toContain(MARKER);
  }, 90_000);
});
