/**
 * The clinic computer as an attacker on it meets the desktop (PROTOCOL §9,
 * issue "the clinic computer"): a signed-in clinician has a patient with a
 * marker in her notes, and
 * - a process on the same machine that sends the right Host header but has
 *   neither the printed code nor the cookie learns nothing and changes
 *   nothing, on every route;
 * - a process of another OS account (uid 65534, when this suite runs as
 *   root) can read nothing in the data folder, not even the URL file;
 * - every file the desktop made is 0600 and every folder 0700.
 * The real server and desktop bins, spoken to over raw HTTP.
 */
import { spawn } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../../../packages/server/test/support/server-process.ts';
import { PAGE_KEY_HEADER } from '../src/shared/page-key.ts';
import { startDesktopProcess, type DesktopProcess, type LaunchCredentials } from './support/desktop-process.ts';
import { tempDir } from '../../../test/support/temp-dir.ts';

type Answer = { status: number; body: string; headers: Record<string, string | string[] | undefined> };

function raw(
  desktop: DesktopProcess,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        hostname: '127.0.0.1',
        port: desktop.port,
        path,
        method,
        headers: { host: desktop.host, ...(text ? { 'content-type': 'application/json' } : {}), ...headers },
      },
      (res) => {
        let out = '';
        res.on('data', (c: Buffer) => (out += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: out, headers: res.headers }));
      },
    );
    req.on('error', reject);
    if (text) req.write(text);
    req.end();
  });
}

const MARKER = `MARKER-${Math.random().toString(36).slice(2)}-notes`;
const ADA = { name: 'Ada Obi', email: 'ada@attack.example', password: 'correct horse battery' };
const EVE = { name: 'Eve Other', email: 'eve@attack.example', password: 'another long password' };

/** Every file and folder under `dir`. */
function walk(dir: string): { files: string[]; folders: string[] } {
  const files: string[] = [];
  const folders: string[] = [dir];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = walk(path);
      files.push(...inner.files);
      folders.push(...inner.folders);
    } else files.push(path);
  }
  return { files, folders };
}

describe('the desktop against other programs and accounts on the clinic computer', () => {
  // World-traversable root, so only the desktop's own modes stand between its data and another account.
  const root = tempDir('other-user');
  chmodSync(root, 0o755);
  const dataDir = join(root, 'desktop');
  let server: ServerProcess;
  let desktop: DesktopProcess;
  let cookie: string;
  let credentials: LaunchCredentials;
  let pageKey: string;
  let orgId: string;
  let patientId: string;

  const own = (method: string, path: string, body?: unknown) => raw(desktop, method, path, { ...credentials }, body);

  beforeAll(async () => {
    server = await startServerProcess({ dataDir: join(root, 'server') });
    desktop = await startDesktopProcess({ serverUrl: server.url, dataDir });
    credentials = await desktop.credentials();
    cookie = credentials.cookie;
    pageKey = credentials[PAGE_KEY_HEADER];
    expect((await own('POST', '/api/session/register', ADA)).status).toBe(201);
    expect((await own('POST', '/api/session/sign-in', { email: ADA.email, password: ADA.password })).status).toBe(200);
    const org = await own('POST', '/api/orgs', { name: 'Attack Clinic', teamName: 'Outpatients' });
    expect(org.status).toBe(201);
    orgId = JSON.parse(org.body).organization.id;
    const patient = await own('POST', '/api/records/patients', {
      data: { organization_id: orgId, given_name: 'Amina', family_name: 'Bello', notes: MARKER },
    });
    expect(patient.status).toBe(201);
    patientId = JSON.parse(patient.body).id;
    expect((await own('POST', '/api/sync/now')).status).toBeLessThan(300);
  }, 120_000);

  afterAll(async () => {
    await desktop?.stop();
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('writes the printed URL into an owner-only file in the data folder', () => {
    const path = join(dataDir, 'desktop-url');
    expect(desktop.urlFile).toBe(path);
    expect(readFileSync(path, 'utf8')).toBe(`${desktop.url}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('shows a process without the code or cookie only how to open the app: no code, no secret, no data', async () => {
    const secret = cookie.split('=')[1]!;
    const code = new URL(desktop.url).searchParams.get('code')!;
    for (const path of ['/', '/index.html', `/#/patients/${patientId}`, '/?code=', '/?code=guess']) {
      const answer = await raw(desktop, 'GET', path);
      expect(answer.status, path).toBeLessThan(500);
      for (const hidden of [MARKER, secret, pageKey, code, patientId, 'Bello'])
        expect(answer.body, `${path} ${hidden}`).not.toContain(hidden);
      expect(answer.headers['set-cookie'], path).toBeUndefined();
    }
    const page = await raw(desktop, 'GET', '/');
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/Open ClinicSync from its link/);
    // The legitimate browser, with the cookie, gets the app.
    expect((await own('GET', '/')).body).toContain('<div id="root">');
  });

  it('refuses every local API route to a process without the cookie, reading nothing and changing nothing', async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/feed?after=0'],
      ['GET', '/api/session'],
      ['GET', '/api/orgs'],
      ['GET', `/api/orgs/${orgId}/patients`],
      ['GET', `/api/orgs/${orgId}/patients?q=bel`],
      ['GET', `/api/orgs/${orgId}/members`],
      ['GET', `/api/orgs/${orgId}/teams`],
      ['GET', `/api/orgs/${orgId}/devices`],
      ['GET', `/api/orgs/${orgId}/audit`],
      ['GET', '/api/records/patients'],
      ['GET', `/api/records/patients/${patientId}`],
      ['GET', '/api/sync/conflicts'],
      ['GET', '/api/sync/dead-letters'],
      [
        'POST',
        '/api/records/patients',
        { data: { organization_id: orgId, given_name: 'Intruder', family_name: 'Written' } },
      ],
      ['PATCH', `/api/records/patients/${patientId}`, { data: { notes: 'overwritten' } }],
      ['DELETE', `/api/records/patients/${patientId}`],
      ['POST', `/api/orgs/${orgId}/members`, { email: EVE.email, role: 'admin' }],
      ['POST', '/api/session/sign-in', { email: ADA.email, password: ADA.password }],
      ['POST', '/api/session/sign-out'],
      ['POST', '/api/session/stop-syncing'],
      ['POST', '/api/session/lock'],
      ['POST', '/api/sync/now'],
    ];
    const forged: Record<string, string>[] = [
      {},
      { cookie: `${cookie.split('=')[0]}=guess` },
      { 'x-clinicsync-secret': cookie.split('=')[1]! },
      { cookie: cookie.split('=')[1]! },
      { origin: desktop.origin, 'sec-fetch-site': 'same-origin' },
      // The real cookie, as the browser also sends it to a program on another port of 127.0.0.1.
      { cookie },
      { cookie, 'x-clinicsync-page-key': 'guess' },
      { [PAGE_KEY_HEADER]: pageKey },
    ];
    for (const headers of forged) {
      for (const [method, path, body] of routes) {
        const answer = await raw(desktop, method, path, headers, body);
        expect(answer.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(JSON.parse(answer.body).error.code).toBe('unauthorized');
        expect(answer.body).not.toContain(MARKER);
        expect(answer.body).not.toContain('Bello');
      }
    }
    // Still signed in, the patient untouched, nobody written, nobody added.
    const session = JSON.parse((await own('GET', '/api/session')).body);
    expect(session.state).toBe('active');
    const patient = JSON.parse((await own('GET', `/api/records/patients/${patientId}`)).body);
    expect(patient).toMatchObject({ notes: MARKER, deleted: false });
    const patients = JSON.parse((await own('GET', `/api/orgs/${orgId}/patients`)).body) as { given_name: string }[];
    expect(patients.map((p) => p.given_name)).toEqual(['Amina']);
    const members = JSON.parse((await own('GET', `/api/orgs/${orgId}/members`)).body) as unknown[];
    expect(members).toHaveLength(1);
  }, 60_000);

  it('creates every file owner-only (0600) and every folder 0700, the store and its WAL included', () => {
    const { files, folders } = walk(dataDir);
    expect(files.some((f) => /\.sqlite$/.test(f))).toBe(true);
    expect(files.some((f) => /\.sqlite-wal$/.test(f))).toBe(true);
    for (const file of files) expect(statSync(file).mode & 0o777, file).toBe(0o600);
    for (const folder of folders) expect(statSync(folder).mode & 0o777, folder).toBe(0o700);
  });

  it.skipIf(process.getuid?.() !== 0)(
    'gives another OS account nothing: no folder listing, no file, no URL, no data through the API',
    async () => {
      const files = walk(dataDir).files;
      // A separate program run as "nobody": the other clinic login, the service account.
      const script = `
      const fs = require('node:fs');
      const http = require('node:http');
      const [dataDir, files, port] = JSON.parse(process.argv[1]);
      const result = { listed: null, read: [], answers: [] };
      try { result.listed = fs.readdirSync(dataDir); } catch (e) { result.listed = e.code; }
      for (const f of files) { try { result.read.push(fs.readFileSync(f, 'latin1')); } catch (e) { result.read.push(e.code); } }
      const get = (path) => new Promise((ok) => {
        const req = http.request({ host: '127.0.0.1', port, path, headers: { host: '127.0.0.1:' + port } }, (res) => {
          let body = ''; res.on('data', (c) => (body += c)); res.on('end', () => ok(res.statusCode + ' ' + body));
        });
        req.on('error', (e) => ok('error ' + e.code)); req.end();
      });
      (async () => {
        for (const p of ['/', '/api/feed?after=0', '/api/orgs', '/api/records/patients']) result.answers.push(await get(p));
        process.stdout.write(JSON.stringify(result));
      })();`;
      const out = await new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['-e', script, JSON.stringify([dataDir, files, desktop.port])], {
          uid: 65534,
          gid: 65534,
          cwd: '/',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let text = '';
        let errors = '';
        child.stdout.on('data', (c: Buffer) => (text += c.toString()));
        child.stderr.on('data', (c: Buffer) => (errors += c.toString()));
        child.on('error', reject);
        child.on('exit', (code) =>
          code === 0 ? resolve(text) : reject(new Error(`attacker exited ${code}: ${errors}`)),
        );
      });
      const result = JSON.parse(out) as { listed: unknown; read: string[]; answers: string[] };
      expect(result.listed).toBe('EACCES');
      expect(result.read).toEqual(files.map(() => 'EACCES'));
      const secret = cookie.split('=')[1]!;
      const code = new URL(desktop.url).searchParams.get('code')!;
      for (const answer of result.answers) {
        for (const hidden of [MARKER, secret, pageKey, code, 'Bello']) expect(answer).not.toContain(hidden);
      }
      expect(result.answers.slice(1).every((a) => a.startsWith('401 '))).toBe(true);
    },
    30_000,
  );
});
