/**
 * Push events typed per table and op, from the table registry: the shape a
 * client must send for its event to be checked against its table at all
 * (PROTOCOL §3). The server reads a batch with the looser envelope of
 * `pushEventSchema` so one bad event is answered `rejected` rather than failing
 * the batch; this schema is what the API reference documents, so a generated
 * client or a fuzzer can build a valid event. Rules no JSON Schema can state
 * (scope, roles, clinical checks) still refuse some of these per event.
 */
import { z } from 'zod';
import { eventIdSchema, timestampSchema, uuidSchema } from './ids.ts';
import { MAX_BATCH, OPS, type Op, pushRequestSchema } from './push.ts';
import { rowDataSchema } from './registry/row-schema.ts';
import { TABLE_NAMES, tableSpec, type TableName } from './registry/tables.ts';
import { storedInteger } from './storable.ts';

/** `patients` + `INSERT` → `PatientsInsertEvent`: the name of the shape in the reference's components. */
function componentName(table: TableName, op: Op): string {
  const pascal = table.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
  return `${pascal}${op[0]}${op.slice(1).toLowerCase()}Event`;
}

/** The one event shape of `op` on `table`, at the current schema version. */
export function typedPushEventSchema(table: TableName, op: Op): z.ZodType {
  return eventShape(table, op).meta({ id: componentName(table, op) });
}

function eventShape(table: TableName, op: Op) {
  const spec = tableSpec(table);
  const common = {
    eventId: eventIdSchema,
    table: z.literal(table),
    op: z.literal(op),
    recordId: uuidSchema,
    createdAt: timestampSchema.optional(),
  };
  switch (op) {
    case 'INSERT':
      return z.strictObject({ ...common, baseVersion: z.literal(0).optional(), data: rowDataSchema(spec, 'insert') });
    case 'UPDATE':
      return z.strictObject({ ...common, baseVersion: storedInteger(1), data: rowDataSchema(spec, 'update') });
    case 'DELETE':
      return z.strictObject({ ...common, baseVersion: storedInteger(1) });
  }
}

/** Exactly one of the table × op shapes (`oneOf`: `table` and `op` are constants, so no event fits two). */
export const documentedPushEventSchema = z.xor(
  TABLE_NAMES.flatMap((table) => OPS.map((op) => typedPushEventSchema(table, op))) as unknown as readonly [
    z.ZodType,
    z.ZodType,
    ...z.ZodType[],
  ],
);

/** `POST /v1/sync/push` as the reference documents it: the request with typed events. */
export const documentedPushRequestSchema = pushRequestSchema.extend({
  events: z.array(documentedPushEventSchema).max(MAX_BATCH),
});
