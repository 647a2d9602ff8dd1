/**
 * The local store encrypted at rest (PROTOCOL §9): a marker typed into a
 * patient's notes appears in no file beside the store (database, WAL,
 * shared memory, journal), after writes and after a SIGKILL; the file does
 * not open without the key, nor with another; an unencrypted store is
 * encrypted in place with every row of every table kept, also when the
 * migration is killed after any of its steps.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import PlainDatabase from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSyncEngine, StoreKeyError, type SyncEngine } from '../src/index.ts';
import { openBetterSqlite3 } from '../src/store/better-sqlite3-database.ts';
import { encryptingPath, encryptStoreFile, MIGRATION_STEPS } from '../src/store/encrypt-store-file.ts';
import { storeFileState } from '../src/store/store-cipher.ts';
import { FAKE_ORG } from './support/fake-sync-server.ts';
import { tempDir } from '../../../test/support/temp-dir.ts';

const SUPPORT = resolve(fileURLToPath(new URL('./support/', import.meta.url)));
const engines: SyncEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

function folder(): string {
  return tempDir('encrypted');
}

const marker = () => `MARKER${randomBytes(6).toString('hex')}`;

/** Every file under `dir` whose bytes contain `needle` (as UTF-8 or UTF-16). */
function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    const bytes = readFileSync(path);
    if (bytes.includes(Buffer.from(needle, 'utf8')) || bytes.includes(Buffer.from(needle, 'utf16le'))) hits.push(name);
  }
  return hits;
}

async function openEngine(dbPath: string, key?: Uint8Array): Promise<SyncEngine> {
  const engine = await openSyncEngine({
    dbPath,
    encryptionKey: key,
    serverUrl: 'http://127.0.0.1:9',
    getSyncToken: () => null,
    intervalMs: 60_000,
  });
  engines.push(engine);
  return engine;
}

/** Every row of every table, as plain data: what "nothing lost" compares. */
function dumpStore(path: string, key?: Uint8Array): Record<string, unknown[]> {
  const db = openBetterSqlite3(path, { key });
  try {
    const out: Record<string, unknown[]> = { '(user_version)': [db.get('PRAGMA user_version')] };
    for (const { name } of db.all("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") as {
      name: string;
    }[]) {
      // Sorted here: some store tables are WITHOUT ROWID.
      out[name] = db
        .all(`SELECT * FROM "${name}"`)
        .map((row) => JSON.stringify(row, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)))
        .sort();
    }
    return out;
  } finally {
    db.close();
  }
}

/** A store as an earlier version left it: unencrypted, world-readable WAL mode, with unsent edits, a conflict, a dead letter and a draft. */
async function plaintextStore(dir: string, text: string): Promise<string> {
  const path = join(dir, 'local.sqlite');
  const engine = await openEngine(path);
  for (let i = 0; i < 300; i++)
    engine.insert('patients', {
      organization_id: FAKE_ORG,
      given_name: `Given${i}`,
      family_name: 'Okafor',
      notes: `${text} ${i}`,
    });
  const first = engine.list('patients')[0]!;
  engine.update('patients', first.id as string, { notes: `${text} edited` });
  await engine.close();
  const raw = new PlainDatabase(path);
  raw
    .prepare(
      'INSERT INTO _conflicts (id, table_name, record_id, event_id, op, organization_id, changes, local, server, fields, server_version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
      'c1',
      'patients',
      first.id,
      'e1',
      'UPDATE',
      FAKE_ORG,
      JSON.stringify({ notes: `${text} mine` }),
      JSON.stringify({ ...first, notes: `${text} mine` }),
      JSON.stringify({ ...first, notes: `${text} theirs`, version: 2 }),
      JSON.stringify(['notes']),
      2,
      '2026-01-01T00:00:00.000Z',
    );
  raw
    .prepare(
      'INSERT INTO _dead_letters (id, table_name, record_id, event_id, op, organization_id, data, code, message, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
      'd1',
      'patients',
      'rec-gone',
      'e2',
      'INSERT',
      FAKE_ORG,
      JSON.stringify({ notes: `${text} refused` }),
      'forbidden',
      'Not allowed.',
      '2026-01-01T00:00:00.000Z',
    );
  // A half-typed form, as the desktop keeps it in the store's drafts table.
  raw
    .prepare('INSERT INTO _drafts (key, data, updated_at) VALUES (?, ?, ?)')
    .run('patients/new', JSON.stringify({ notes: `${text} draft` }), '2026-01-01T00:00:00.000Z');
  raw.close();
  return path;
}

describe('local store encrypted at rest', () => {
  it('keeps a marker typed into notes out of every file of the folder after writes, and opens only with its key', async () => {
    const dir = folder();
    const key = randomBytes(32);
    const text = marker();
    const path = join(dir, 'local.sqlite');
    const engine = await openEngine(path, key);
    for (let i = 0; i < 50; i++)
      engine.insert('patients', {
        organization_id: FAKE_ORG,
        given_name: 'Amina',
        family_name: 'Okafor',
        notes: `${text} ${i}`,
      });
    // While open: the WAL holds the recent writes.
    expect(existsSync(`${path}-wal`)).toBe(true);
    expect(filesContaining(dir, text)).toEqual([]);
    expect(filesContaining(dir, 'Okafor')).toEqual([]);
    await engine.close();
    expect(filesContaining(dir, text)).toEqual([]);
    expect(storeFileState(path)).toBe('encrypted');

    // Without the key, neither this build nor plain SQLite reads anything; another key is refused by name.
    expect(() => new PlainDatabase(path).prepare('SELECT * FROM patients').all()).toThrow(/not a database/);
    expect(() => new Database(path).prepare('SELECT * FROM patients').all()).toThrow(/not a database/);
    expect(() => openBetterSqlite3(path, { key: randomBytes(32) })).toThrow(StoreKeyError);
    const reopened = await openEngine(path, key);
    expect(reopened.list('patients')).toHaveLength(50);
    expect(reopened.status().pending).toBe(50);
  });

  it('keeps the marker out of every file after the writing process is killed, and loses none of its writes', async () => {
    const dir = folder();
    const key = randomBytes(32);
    const text = marker();
    const path = join(dir, 'local.sqlite');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(SUPPORT, 'write-encrypted-until-killed.ts'), path, key.toString('hex'), text, FAKE_ORG],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const written = new Set<string>();
    let errors = '';
    child.stderr.on('data', (c: Buffer) => (errors += c.toString()));
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    await new Promise<void>((ready, fail) => {
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        for (const line of lines) if (line.startsWith('wrote ')) written.add(line.slice(6));
        if (written.size >= 40) {
          child.kill('SIGKILL');
          ready();
        }
      });
      child.once('exit', (code) =>
        written.size >= 40 ? ready() : fail(new Error(`writer exited ${code}: ${errors}`)),
      );
    });
    await exited;
    // Killed mid-stream: the WAL and shared memory are left as they were.
    expect(existsSync(`${path}-wal`)).toBe(true);
    expect(filesContaining(dir, text)).toEqual([]);
    const engine = await openEngine(path, key);
    const ids = new Set(engine.list('patients').map((r) => r.id as string));
    for (const id of written) expect(ids.has(id), id).toBe(true);
    await engine.close();
    expect(filesContaining(dir, text)).toEqual([]);
  }, 60_000);

  it('encrypts an unencrypted store in place with every table, unsent edit, conflict and draft kept', async () => {
    const dir = folder();
    const text = marker();
    const path = await plaintextStore(dir, text);
    expect(filesContaining(dir, text)).not.toEqual([]);
    const before = dumpStore(path);
    const key = randomBytes(32);
    const engine = await openEngine(path, key);
    expect(engine.status().pending).toBe(301);
    expect(engine.conflicts()).toHaveLength(1);
    expect(engine.deadLetters()).toHaveLength(1);
    await engine.close();
    expect(storeFileState(path)).toBe('encrypted');
    expect(dumpStore(path, key)).toEqual(before);
    expect(filesContaining(dir, text)).toEqual([]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it.each(MIGRATION_STEPS)(
    'finishes the migration after the process is killed right after step "%s", losing nothing',
    async (step) => {
      const dir = folder();
      const text = marker();
      const path = await plaintextStore(dir, text);
      const before = dumpStore(path);
      const key = randomBytes(32);
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(SUPPORT, 'encrypt-then-die.ts'), path, key.toString('hex'), step],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      const signal = await new Promise<NodeJS.Signals | null>((done) => child.once('exit', (_code, s) => done(s)));
      expect(signal, output).toBe('SIGKILL');
      // Killed before the swap the original is untouched; after it, the store is encrypted.
      expect(storeFileState(path)).toBe(step === 'swapped' ? 'encrypted' : 'plaintext');
      const engine = await openEngine(path, key);
      expect(engine.status().pending).toBe(301);
      await engine.close();
      expect(existsSync(encryptingPath(path))).toBe(false);
      expect(dumpStore(path, key)).toEqual(before);
      expect(filesContaining(dir, text)).toEqual([]);
    },
    60_000,
  );

  it('keeps the original when the encrypted copy fails, and leaves no half-built copy', async () => {
    const dir = folder();
    const path = await plaintextStore(dir, marker());
    const before = dumpStore(path);
    expect(() =>
      encryptStoreFile(path, randomBytes(32), {
        afterStep: (s) => {
          if (s === 'encrypted') throw new Error('disk full');
        },
      }),
    ).toThrow('disk full');
    expect(storeFileState(path)).toBe('plaintext');
    expect(existsSync(encryptingPath(path))).toBe(false);
    expect(dumpStore(path)).toEqual(before);
  });
});
