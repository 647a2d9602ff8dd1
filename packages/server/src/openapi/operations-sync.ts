/** Reference entries for push, pull and the schema contract (PROTOCOL §3–5). */
import {
  MAX_BATCH,
  MAX_PULL_LIMIT,
  pullQuerySchema,
  pullResponseSchema,
  pushRequestSchema,
  pushResponseSchema,
  REJECTION_CODES,
  schemaResponseSchema,
} from '@clinicsync/protocol';
import { examples } from './examples.ts';
import type { OperationSpec } from './operation-spec.ts';

export const syncOperations: readonly OperationSpec[] = [
  {
    method: 'post',
    path: '/v1/sync/push',
    operationId: 'push',
    tag: 'Sync',
    summary: 'Send local changes',
    description: [
      `Sends up to ${MAX_BATCH} outbox events, oldest first; \`deviceId\` must be the sync token's device. An empty \`events\` list is a heartbeat that only reports the outbox.`,
      '',
      '`data` holds the whole row for INSERT and only the changed fields for UPDATE; DELETE has none. `baseVersion` is the server version the edit was based on (0 for INSERT). Never send `id`, `version`, `updated_at`, `updated_by` or `deleted` in `data`.',
      '',
      'The answer has one result per event, in request order. A refused event does not stop the ones after it:',
      '- `applied`: written; `version` is the row\'s new server version. Drop it from the outbox.',
      '- `duplicate`: this `eventId` was processed before (the earlier answer was lost); `original` is what happened then. Drop it.',
      '- `conflict`: the row changed on the server since `baseVersion` and the edit could not be merged. Nothing was written; `serverRecord` is the current row and `fields` the clashing fields. Show it to the user.',
      `- \`rejected\`: refused for good (\`code\` is one of ${REJECTION_CODES.map((c) => `\`${c}\``).join(', ')}). Keep it as a dead letter the user can see.`,
    ].join('\n'),
    token: 'syncToken',
    body: { schema: pushRequestSchema, example: examples.pushRequest },
    success: { status: 200, description: 'One result per event.', schema: pushResponseSchema, example: examples.pushResponse },
    errors: ['forbidden', 'batch_too_large', 'schema_upgrade_required'],
  },
  {
    method: 'get',
    path: '/v1/sync/pull',
    operationId: 'pull',
    tag: 'Sync',
    summary: 'Receive changes since a cursor',
    description: [
      `Returns the latest state of every row changed after \`cursor\` in every organization the user belongs to, in commit order, at most \`limit\` (max ${MAX_PULL_LIMIT}). A row changed ten times comes once; deletions come as \`DELETE\` with \`data: null\`.`,
      '',
      'Omit `cursor` for a full sync. Apply the page and store the returned `cursor` in the same local transaction; repeat while `hasMore` is true. The cursor is opaque: never build or edit one, and never reset it on auth or network errors.',
      '',
      '`revokedOrganizations` lists organizations the user was removed from: purge their rows, keeping unsent local edits as dead letters.',
      '',
      '`410 cursor_invalid`: the server cannot continue from this cursor (e.g. after a restore). Pull again without a cursor, keeping unsent edits.',
    ].join('\n'),
    token: 'syncToken',
    query: pullQuerySchema,
    success: { status: 200, description: 'A page of changes.', schema: pullResponseSchema, example: examples.pullResponse },
    errors: ['forbidden', 'cursor_invalid', 'schema_upgrade_required'],
  },
  {
    method: 'get',
    path: '/v1/sync/schema',
    operationId: 'getSchema',
    tag: 'Sync',
    summary: 'The table schema and supported versions',
    description:
      'Public: it reveals only the table registry. A client whose schema version is below `minSupported` gets `426 schema_upgrade_required` on push and pull; between `minSupported` and `current` the server translates rows for it.',
    token: 'none',
    success: { status: 200, description: 'The schema contract.', schema: schemaResponseSchema, example: examples.schema },
    errors: [],
  },
];
