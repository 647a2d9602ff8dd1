/**
 * Runs a whole push batch as one transaction and retries it from the start
 * when the database refuses it for a transient concurrency reason
 * (deadlock, serialization failure, or a unique-key race such as the same
 * event being pushed twice at once). A retry sees the other writer's commit:
 * the re-sent event then answers `duplicate`, the raced row `conflict`.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Capabilities } from '../../db/capabilities.ts';
import type { ServerDb } from '../../db/schema.ts';

export const TRANSACTION_ATTEMPTS = 5;

/**
 * Thrown by a step that cannot decide on what it read because another
 * connection keeps changing it (a member row while its organization is
 * deleted): the batch is retried from the start, as after a deadlock.
 */
export class TransientWriteConflict extends Error {
  override readonly name = 'TransientWriteConflict';
}

/** Runs `work` in a transaction, up to `attempts` times on retryable failures; rethrows anything else. */
export async function runInTransaction<T>(
  db: Kysely<ServerDb>,
  caps: Pick<Capabilities, 'isRetryable' | 'isUniqueViolation'>,
  work: (trx: Transaction<ServerDb>) => Promise<T>,
  attempts = TRANSACTION_ATTEMPTS,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      const transient =
        error instanceof TransientWriteConflict || caps.isRetryable(error) || caps.isUniqueViolation(error);
      if (!transient || attempt >= attempts) throw error;
      // A short, growing pause lets the transaction that won finish committing.
      await new Promise((resume) => setTimeout(resume, 5 * attempt));
    }
  }
}
