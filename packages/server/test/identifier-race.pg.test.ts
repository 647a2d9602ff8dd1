/**
 * A clinic number stays unique per organization (PROTOCOL §2b) when devices
 * push the same number at the same moment through two server instances on
 * one PostgreSQL database: exactly one patient gets it, every other push is
 * `rejected: duplicate_identifier`, none answers 500 and nothing is half
 * written. The check runs under the organization's lock; the unique index is
 * the backstop (check-identifier.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from './support/accounts.ts';
import { freshPostgresDatabase, requirePostgres } from './support/dialects.ts';
import { addMember, createOrganization, insertEvent, push, rows, type CreatedOrganization } from './support/orgs.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

const pgUrl = requirePostgres();
const ROUNDS = 5;
const DEVICES = 6;

describe.skipIf(!pgUrl)('clinic numbers pushed at once through two instances on one PostgreSQL', () => {
  let servers: ServerProcess[] = [];
  let admin: SignedUpUser;
  let staff: SignedUpUser[] = [];
  let org: CreatedOrganization;

  beforeAll(async () => {
    const databaseUrl = await freshPostgresDatabase();
    // One after the other: the second finds the schema migrated.
    servers.push(await startServerProcess({ db: databaseUrl }));
    servers.push(await startServerProcess({ db: databaseUrl }));
    admin = await signUp(servers[0]!.url);
    org = await createOrganization(servers[0]!.url, admin);
    staff = await Promise.all(Array.from({ length: DEVICES }, (_, i) => signUp(servers[i % 2]!.url)));
    for (const person of staff) await addMember(servers[0]!.url, admin, org.organizationId, person, 'receptionist');
  }, 60_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    servers = [];
  });

  it('gives each number to exactly one patient', { timeout: 60_000 }, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const identifier = `RACE-${round}`;
      const answers = await Promise.all(
        staff.map((person, i) =>
          push(
            servers[i % 2]!.url,
            person,
            [insertEvent('patients', rows.patient(org.organizationId, { identifier }))],
            { schemaVersion: 3 },
          ),
        ),
      );
      for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const outcomes = answers.map((a) => {
        const result = a.body.results[0]!;
        return result.status === 'rejected' ? result.code : result.status;
      });
      expect(
        outcomes.filter((o) => o === 'applied'),
        identifier,
      ).toHaveLength(1);
      expect(
        outcomes.filter((o) => o === 'duplicate_identifier'),
        identifier,
      ).toHaveLength(DEVICES - 1);
    }
  });
});
