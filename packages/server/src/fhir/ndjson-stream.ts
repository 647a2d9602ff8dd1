/**
 * One Bulk Data file as a stream of NDJSON lines (one resource per line),
 * read from the table page by page as the client consumes it: memory stays at
 * one page whatever the organization's size.
 */
import type { Kysely } from 'kysely';
import type { ServerDb } from '../db/schema.ts';
import { readFhirRows, type RowQuery } from './read-fhir-rows.ts';
import type { ResourceTypeSpec } from './resource-types.ts';

const PAGE = 500;

export function ndjsonStream(
  db: Kysely<ServerDb>,
  spec: ResourceTypeSpec,
  query: Omit<RowQuery, 'limit' | 'afterId'>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let afterId: string | undefined;
  let done = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (done) return;
        const rows = await readFhirRows(db, spec.table, {
          ...query,
          limit: PAGE,
          ...(afterId !== undefined ? { afterId } : {}),
        });
        if (rows.length > 0) {
          afterId = rows[rows.length - 1]!.id;
          controller.enqueue(encoder.encode(rows.map((row) => `${JSON.stringify(spec.toResource(row))}\n`).join('')));
        }
        if (rows.length < PAGE) {
          done = true;
          controller.close();
        }
      },
    },
    // One page in flight at a time: the next is read only when the client has taken this one.
    { highWaterMark: 1 },
  );
}
