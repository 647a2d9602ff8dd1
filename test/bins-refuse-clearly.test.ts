/**
 * The three commands of PROTOCOL §7 (`clinicsync-server`, `clinicsync-edge`,
 * `clinicsync-desktop`) started the way an operator gets them wrong: a port
 * another program holds, an address this computer does not have, a database
 * URL of a kind the server does not speak, a PostgreSQL that is not there.
 * Each must stop with a non-zero exit and one sentence saying what is wrong,
 * not an unhandled 'error' event with Node's stack trace.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './support/temp-dir.ts';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const BINS = {
  server: join(root, 'packages/server/bin/clinicsync-server.js'),
  edge: join(root, 'packages/edge/bin/clinicsync-edge.js'),
  desktop: join(root, 'apps/desktop/bin/clinicsync-desktop.js'),
};

type Exit = { code: number | null; stderr: string; stdout: string };

function run(bin: string, args: string[], env: Record<string, string> = {}, cwd = tempDir('bin-cwd')): Promise<Exit> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd,
      env: { ...process.env, CLINICSYNC_TOKEN_STORE: 'file', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // A command that starts anyway is the failure this suite looks for: stop it and report.
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.once('error', fail);
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({ code, stderr, stdout });
    });
  });
}

/** A loopback port nothing listens on (connections to it are refused at once). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((ready) => probe.listen(0, '127.0.0.1', ready));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((done) => probe.close(() => done()));
  return port;
}

/** A non-zero exit, a sentence matching `reason` on stderr, and no stack trace anywhere. */
function expectClearRefusal(exit: Exit, reason: RegExp): void {
  const output = `${exit.stdout}\n${exit.stderr}`;
  expect(exit.code, output).not.toBe(0);
  expect(exit.code, output).not.toBeNull();
  expect(exit.stderr, output).toMatch(reason);
  expect(output).not.toMatch(/^\s+at .+[(:]\d+/m);
  expect(output).not.toMatch(/Unhandled 'error' event|node:internal/);
}

describe('the commands refuse a wrong start clearly', () => {
  let holder: Server;
  let takenPort: number;

  beforeAll(async () => {
    holder = createServer();
    await new Promise<void>((ready) => holder.listen(0, '127.0.0.1', ready));
    takenPort = (holder.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((done) => holder.close(() => done())));

  it('clinicsync-server on a port that is taken', async () => {
    const exit = await run(BINS.server, ['--port', String(takenPort), '--data-dir', tempDir('bin-server')]);
    expectClearRefusal(exit, new RegExp(`port ${takenPort}.*already in use`));
  });

  it('clinicsync-server on an address this computer does not have', async () => {
    const exit = await run(BINS.server, ['--port', '0', '--host', '203.0.113.7', '--data-dir', tempDir('bin-server')]);
    expectClearRefusal(exit, /203\.0\.113\.7 is not an address of this computer/);
  });

  it('clinicsync-server with a database URL that is neither a file nor PostgreSQL, and makes no file of it', async () => {
    const dataDir = tempDir('bin-server');
    const cwd = tempDir('bin-cwd');
    const exit = await run(
      BINS.server,
      ['--port', '0', '--db', 'mysql://clinic:secret@db/clinic', '--data-dir', dataDir],
      {},
      cwd,
    );
    expectClearRefusal(exit, /SQLite file path or a postgres:\/\/ URL/);
    // The password of the URL is not repeated back.
    expect(exit.stderr).not.toContain('secret');
    expect(existsSync(join(cwd, 'mysql:'))).toBe(false);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('clinicsync-server with a PostgreSQL that is not there (DATABASE_URL)', async () => {
    const exit = await run(BINS.server, ['--port', '0', '--data-dir', tempDir('bin-server')], {
      DATABASE_URL: `postgres://clinic:secret@127.0.0.1:${await closedPort()}/clinic`,
    });
    expectClearRefusal(exit, /could not reach the database/);
    expect(exit.stderr).not.toContain('secret');
  });

  it('clinicsync-edge on a port that is taken, and on an address this computer does not have', async () => {
    const taken = await run(BINS.edge, ['--port', String(takenPort), '--persist', tempDir('bin-edge')]);
    expectClearRefusal(taken, new RegExp(`port ${takenPort}.*already in use`));
    const nowhere = await run(BINS.edge, ['--port', '0', '--host', '203.0.113.7', '--persist', tempDir('bin-edge')]);
    expectClearRefusal(nowhere, /203\.0\.113\.7 is not an address of this computer/);
  }, 120_000);

  it('clinicsync-desktop on a port that is taken', async () => {
    const exit = await run(BINS.desktop, [
      '--server',
      'http://127.0.0.1:9',
      '--port',
      String(takenPort),
      '--data',
      tempDir('bin-desktop'),
    ]);
    expectClearRefusal(exit, new RegExp(`port ${takenPort}.*already in use`));
  }, 120_000);
});
