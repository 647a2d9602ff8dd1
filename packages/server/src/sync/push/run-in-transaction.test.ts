import { describe, expect, it } from 'vitest';
import { sqliteCapabilities } from '../../db/capabilities.ts';
import { testDeps } from '../../../test/support/test-deps.ts';
import { runInTransaction, TransientWriteConflict } from './run-in-transaction.ts';

describe('runInTransaction', () => {
  it('runs the batch again from the start when a step meets a row that keeps changing', async () => {
    const { db, database } = await testDeps();
    let runs = 0;
    const result = await runInTransaction(db, sqliteCapabilities, async () => {
      runs += 1;
      if (runs < 3) throw new TransientWriteConflict('changing');
      return 'done';
    });
    expect(result).toBe('done');
    expect(runs).toBe(3);
    await database.close();
  });

  it('gives up after its attempts, and never retries any other error', async () => {
    const { db, database } = await testDeps();
    let runs = 0;
    const always = runInTransaction(
      db,
      sqliteCapabilities,
      async () => {
        runs += 1;
        throw new TransientWriteConflict('changing');
      },
      2,
    );
    await expect(always).rejects.toBeInstanceOf(TransientWriteConflict);
    expect(runs).toBe(2);
    runs = 0;
    await expect(
      runInTransaction(db, sqliteCapabilities, async () => {
        runs += 1;
        throw new Error('a bug');
      }),
    ).rejects.toThrow('a bug');
    expect(runs).toBe(1);
    await database.close();
  });
});
