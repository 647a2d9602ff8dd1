/**
 * The signing secret of a deployment with several instances on one
 * PostgreSQL database, when the operator has not set CLINICSYNC_JWT_SECRET:
 * generated once and kept in the database, so a token or pull cursor issued
 * by one instance verifies on every other. (A secret in each instance's own
 * data folder would differ per instance.) Setting the variable is still
 * preferred: then the database never holds the secret.
 */
import type { Kysely } from 'kysely';
import type { ServerDb } from './db/schema.ts';
import type { Ids } from './deps.ts';

const NAME = 'signing-secret';

/** The stored secret, created by whichever instance gets there first. */
export async function loadSharedSecret(db: Kysely<ServerDb>, deps: { ids: Ids; now: Date }): Promise<string> {
  await db
    .insertInto('server_secrets')
    .values({ name: NAME, value: deps.ids.randomToken(48), created_at: deps.now.toISOString() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('server_secrets').select('value').where('name', '=', NAME).executeTakeFirstOrThrow();
  return row.value;
}
