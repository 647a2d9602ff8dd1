/**
 * Serializes writers of one organization. On PostgreSQL the `org_seq` row is
 * locked until commit (a no-op update takes the row lock), so a check that
 * counts rows — "is this the last admin?", "is this user already a member?"
 * — sees every earlier writer's committed result instead of racing it. On
 * SQLite writers are serialized anyway and this is a cheap no-op.
 */
import { sql, type Transaction } from 'kysely';
import type { ServerDb } from '../../db/schema.ts';

/** Takes the organization's sequence row lock for the rest of the transaction. */
export async function lockOrganization(trx: Transaction<ServerDb>, organizationId: string): Promise<void> {
  await trx
    .updateTable('org_seq')
    .set({ last_seq: sql`last_seq` })
    .where('organization_id', '=', organizationId)
    .execute();
}
