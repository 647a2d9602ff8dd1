/**
 * The body of a pull answer whose `changes` many devices share (the woken
 * pulls of docs/protocol.md "Live pull": devices woken by one write from one
 * place get the very same `changes` array from `readPullPages`). Serialized
 * per device, 500 devices × a 4 MiB page would make 2 GB of strings in one
 * tick; here the array's JSON is encoded to bytes once, and each answer is
 * its own few bytes around those same bytes, streamed without a copy.
 *
 * The bytes are exactly `JSON.stringify(page)`, what `c.json` sends for a
 * plain pull: JSON.stringify is compositional, and `changes` is the first
 * key of every pull answer (test/live-fanout.test.ts compares the bodies).
 * Runtime-neutral (no `node:` imports): Node and the Workers runtime.
 */
import type { Change, PullResponse } from '@clinicsync/protocol';

// Keyed by the array itself: collected with the last answer that holds it.
const encodedChanges = new WeakMap<readonly Change[], Uint8Array>();
const encoder = new TextEncoder();
const OPENING = encoder.encode('{"changes":');

/** The JSON of `changes` as UTF-8, encoded once per array however many answers carry it. */
export function sharedChangesBytes(changes: readonly Change[]): Uint8Array {
  let bytes = encodedChanges.get(changes);
  if (!bytes) {
    bytes = encoder.encode(JSON.stringify(changes));
    encodedChanges.set(changes, bytes);
  }
  return bytes;
}

/** `JSON.stringify(page)` as a stream of three chunks: the opening, the shared changes' bytes (not copied) and this answer's own rest. */
export function pullAnswerBody(page: PullResponse): {
  readonly stream: ReadableStream<Uint8Array>;
  readonly length: number;
} {
  const { changes, ...rest } = page;
  const shared = sharedChangesBytes(changes);
  const others = JSON.stringify(rest);
  const closing = encoder.encode(others === '{}' ? '}' : `,${others.slice(1)}`);
  const chunks = [OPENING, shared, closing];
  return {
    stream: new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    }),
    length: OPENING.length + shared.length + closing.length,
  };
}
