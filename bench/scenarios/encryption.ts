/**
 * What encryption at rest costs the desktop (PROTOCOL §9, issue "Encryption
 * at rest"): the first sync of a fresh store and a single local write, each
 * with the store unencrypted and encrypted (SQLite3 Multiple Ciphers,
 * SQLCipher 4 scheme, raw 256-bit key), on the same build and the same disk.
 * Target: encrypted ≤ 1.3× the unencrypted time.
 *
 * First sync: the real engine in a child process (bench/child/initial-pull.ts),
 * plain and encrypted runs alternated so a busy machine hurts both alike; the
 * best of the runs of each kind is compared. Single write: one
 * `engine.insert` (row + outbox in one transaction, `synchronous = FULL`, WAL)
 * into a store already holding `storeRows` patients; the median of `writes`.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { openSyncEngine } from '../../packages/client/src/index.ts';
import { patientRows } from '../lib/rows.ts';
import { percentiles, type Stats } from '../lib/measure.ts';
import { benchTempDir } from '../lib/temp.ts';
import type { Session } from '../lib/clinic.ts';
import { measureInitialPull, type InitialPull } from './pull.ts';

export type EncryptionCost = {
  readonly firstSync: { readonly plain: InitialPull; readonly encrypted: InitialPull; readonly ratio: number };
  readonly write: { readonly plain: Stats; readonly encrypted: Stats; readonly ratio: number };
};

const ORGANIZATION = '3f0d8a4e-5b7c-4d2e-9f1a-0b1c2d3e4f51';

/** `writes` single local writes into a store of `storeRows` patients, with or without a key; per-write milliseconds. */
async function singleWrites(storeRows: number, writes: number, key: Uint8Array | undefined): Promise<Stats> {
  const engine = await openSyncEngine({
    dbPath: join(benchTempDir(key ? 'encrypted-writes' : 'plain-writes'), 'client.sqlite'),
    encryptionKey: key,
    serverUrl: 'http://127.0.0.1:9',
    getSyncToken: () => null,
    intervalMs: 3_600_000,
  });
  try {
    // The engine chooses ids on insert; the synthetic rows' own ids are left out.
    const rows = patientRows(ORGANIZATION, storeRows + writes).map(({ id, ...data }) => data);
    for (let i = 0; i < storeRows; i++) engine.insert('patients', rows[i]!);
    const times: number[] = [];
    for (let i = storeRows; i < storeRows + writes; i++) {
      const started = performance.now();
      engine.insert('patients', rows[i]!);
      times.push(performance.now() - started);
    }
    return percentiles(times);
  } finally {
    await engine.close();
  }
}

/** Measures both costs; `session` is a member of an organization on a server holding `expectedRows` patients. */
export async function measureEncryptionCost(
  session: Session,
  input: { readonly expectedRows: number; readonly runs: number; readonly storeRows: number; readonly writes: number },
): Promise<EncryptionCost> {
  let plain: InitialPull | undefined;
  let encrypted: InitialPull | undefined;
  for (let run = 0; run < input.runs; run++) {
    for (const withKey of [false, true]) {
      const pull = await measureInitialPull(
        session,
        1000,
        withKey ? { encryptionKey: randomBytes(32).toString('hex') } : {},
      );
      if (pull.rows !== input.expectedRows)
        throw new Error(`the client holds ${pull.rows} patients, expected ${input.expectedRows}`);
      if (withKey) encrypted = !encrypted || pull.ms < encrypted.ms ? pull : encrypted;
      else plain = !plain || pull.ms < plain.ms ? pull : plain;
    }
  }
  const plainWrites = await singleWrites(input.storeRows, input.writes, undefined);
  const encryptedWrites = await singleWrites(input.storeRows, input.writes, randomBytes(32));
  return {
    firstSync: { plain: plain!, encrypted: encrypted!, ratio: encrypted!.ms / plain!.ms },
    write: { plain: plainWrites, encrypted: encryptedWrites, ratio: encryptedWrites.p50 / plainWrites.p50 },
  };
}
