/**
 * Pull: the first sync of a fresh client store from a server holding many
 * rows, with the real sync engine in a child process (its SQLite file on
 * disk, its own peak RSS), against the raw ceiling of reading the same rows
 * from one SQLite file and inserting them into another. Also: what one pull
 * costs for a device a single change behind, and many devices doing their
 * first sync at once.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createCursorCodec, type CursorPosition } from '../../packages/server/src/sync/pull/cursor.ts';
import { nodeHashing } from '../../packages/server/src/node/node-hashing.ts';
import { secretsFromMaterial } from '../../packages/server/src/secrets.ts';
import { insertEvent, newDevice, pullPage, push, updateEvent, type Session } from '../lib/clinic.ts';
import { percentiles, timed, type Stats } from '../lib/measure.ts';
import { benchTempDir } from '../lib/temp.ts';

export type InitialPull = {
  readonly ms: number;
  /** The client process's CPU time over the sync (every thread): compared with `ms`, how much of it was client work. */
  readonly cpuMs: number;
  /** The patient search index, finished right after the sync (built in the background otherwise). */
  readonly indexMs: number;
  readonly rows: number;
  readonly rowsPerSecond: number;
  readonly peakRssMiB: number;
  readonly baselineRssMiB: number;
};

/** A new device of `session`'s user does its first sync into a fresh store (child process), encrypted when a hex key is given. */
export async function measureInitialPull(
  session: Session,
  pullLimit: number,
  options: { readonly encryptionKey?: string } = {},
): Promise<InitialPull> {
  const device = await newDevice(session);
  const input = {
    serverUrl: session.base,
    syncToken: device.syncToken,
    deviceId: device.deviceId,
    pullLimit,
    dir: benchTempDir('client'),
    ...options,
  };
  const child = fileURLToPath(new URL('../child/initial-pull.ts', import.meta.url));
  const output = await new Promise<string>((ok, fail) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, JSON.stringify(input)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.once('exit', (code) => (code === 0 ? ok(out) : fail(new Error(`initial pull child exited with ${code}`))));
  });
  const result = JSON.parse(output.trim().split('\n').at(-1)!) as {
    ms: number;
    cpuMs: number;
    indexMs: number;
    rows: number;
    peakRssMiB: number;
    baselineRssMiB: number;
    phase: string;
    lastError: unknown;
  };
  if (result.phase !== 'idle')
    throw new Error(`initial pull ended in ${result.phase}: ${JSON.stringify(result.lastError)}`);
  return {
    ms: result.ms,
    cpuMs: result.cpuMs,
    indexMs: result.indexMs,
    rows: result.rows,
    rowsPerSecond: (result.rows * 1000) / result.ms,
    peakRssMiB: result.peakRssMiB,
    baselineRssMiB: result.baselineRssMiB,
  };
}

/**
 * A device that has pulled everything falls one change behind, `rounds`
 * times: another device pushes one update, then this one pulls. Its first
 * cursor is issued with the server's key, as the server would have issued it
 * after a full sync (pulling a million rows first would take most of the run).
 * `lastSeq` is the organization's last change-log seq before this starts.
 */
export async function measureOneBehind(
  session: Session,
  input: {
    readonly secret: string;
    readonly organizationId: string;
    readonly membershipId: string;
    readonly lastSeq: number;
    readonly rounds: number;
  },
): Promise<Stats> {
  const reader = await newDevice(session);
  const recordId = randomUUID();
  const created = await push(session, [
    insertEvent(
      'patients',
      { organization_id: input.organizationId, given_name: 'Zara', family_name: 'Ali' },
      recordId,
    ),
  ]);
  if (created.results[0]?.status !== 'applied')
    throw new Error(`the patient was not created: ${JSON.stringify(created)}`);
  const codec = createCursorCodec(secretsFromMaterial(new TextEncoder().encode(input.secret), nodeHashing).cursorKey);
  const position: CursorPosition = {
    organizationId: input.organizationId,
    membershipId: input.membershipId,
    seq: input.lastSeq + 1,
  };
  let cursor: string = await codec.encode(
    { userId: reader.userId, deviceId: reader.deviceId },
    { schemaVersion: 1, positions: [position] },
  );
  const caughtUp = await pullPage(reader, cursor, 1000);
  if (caughtUp.changes.length !== 0 || caughtUp.hasMore) throw new Error('the reader was not caught up');
  cursor = caughtUp.cursor;
  const samples: number[] = [];
  for (let round = 0; round < input.rounds; round++) {
    const changed = await push(session, [updateEvent('patients', recordId, round + 1, { notes: `round ${round}` })]);
    if (changed.results[0]?.status !== 'applied')
      throw new Error(`the update was not applied: ${JSON.stringify(changed)}`);
    const one = await timed(() => pullPage(reader, cursor, 1000));
    if (one.value.changes.length !== 1 || one.value.hasMore)
      throw new Error('a device one change behind did not get exactly one change');
    cursor = one.value.cursor;
    samples.push(one.ms);
  }
  return percentiles(samples);
}

export type ManyDevices = {
  readonly devices: number;
  readonly ms: number;
  readonly perDevice: Stats;
  readonly rowsPerSecond: number;
  readonly failures: number;
};

/** `devices` devices of the user (signed in beforehand) all start their first full sync at the same moment; each pages to the end. */
export async function measureManyDevices(
  session: Session,
  input: { readonly devices: number; readonly expectedRows: number; readonly pullLimit: number },
): Promise<ManyDevices> {
  const sessions: Session[] = [];
  for (let i = 0; i < input.devices; i++) sessions.push(await newDevice(session));
  const perDevice: number[] = [];
  let failures = 0;
  const { ms } = await timed(() =>
    Promise.all(
      sessions.map(async (device) => {
        const started = performance.now();
        try {
          let cursor: string | null = null;
          let rows = 0;
          for (;;) {
            const page = await pullPage(device, cursor, input.pullLimit);
            rows += page.changes.length;
            cursor = page.cursor;
            if (!page.hasMore) break;
          }
          if (rows < input.expectedRows) throw new Error(`a device got ${rows} of ${input.expectedRows} rows`);
          perDevice.push(performance.now() - started);
        } catch {
          failures += 1;
        }
      }),
    ),
  );
  return {
    devices: input.devices,
    ms,
    perDevice: percentiles(perDevice),
    rowsPerSecond: (input.devices * input.expectedRows * 1000) / ms,
    failures,
  };
}
