/**
 * Errors the engine's synchronous API throws. Sync outcomes (conflicts,
 * rejections, network failures) are never thrown: they end up in the status,
 * the conflict inbox or the dead letters.
 */
import type { Issue } from '@clinicsync/protocol';

/** Data refused locally, with the same `{path, code}` pairs the server would answer (never the values). */
export class LocalValidationError extends Error {
  override name = 'LocalValidationError';
  readonly issues: readonly Issue[];

  constructor(message: string, issues: readonly Issue[]) {
    super(message);
    this.issues = issues;
  }
}

/** The record, conflict or dead letter asked for does not exist (or is deleted). */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
  readonly kind: 'record' | 'conflict' | 'dead_letter';
  readonly id: string;

  constructor(kind: 'record' | 'conflict' | 'dead_letter', id: string) {
    super(`No ${kind.replace('_', ' ')} with id ${id}.`);
    this.kind = kind;
    this.id = id;
  }
}

/** An undo came too late: the resolution has already gone out in a push, so the server may have it. */
export class ResolutionSentError extends Error {
  override name = 'ResolutionSentError';
  readonly conflictId: string;

  constructor(conflictId: string) {
    super('This resolution has already been sent to the server and can no longer be undone.');
    this.conflictId = conflictId;
  }
}

/** The local store file does not open with the key given (a wrong key, or a file that is not this person's store). */
export class StoreKeyError extends Error {
  override name = 'StoreKeyError';
  readonly code = 'store_key_mismatch';
}
