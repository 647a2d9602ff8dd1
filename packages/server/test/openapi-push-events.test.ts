/**
 * Property: push events built from the reference's schemas alone (`PushEvent`,
 * a `oneOf` over table × op, schema-arbitrary.ts) are applied, answered as a
 * conflict, or refused with a documented rejection code — never a 500 and
 * never a refusal of the whole batch as malformed. Ids are steered towards
 * rows of the test's organization (as a real client's would be) so that the
 * events reach the checks past scope, and some of them apply.
 */
import fc from 'fast-check';
import { REJECTION_CODES, SCHEMA_VERSION } from '@clinicsync/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from './support/accounts.ts';
import { describeEachDialect } from './support/dialects.ts';
import { call, loadReference } from './support/http-client.ts';
import { createOrganization, insertEvent, pushApplied, rows, type CreatedOrganization } from './support/orgs.ts';
import { arbitraryFromSchema } from './support/schema-arbitrary.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

const RUNS = 40;

describeEachDialect('push events built from the reference', (dialect) => {
  const { document } = loadReference();
  let server: ServerProcess;
  let alice: SignedUpUser;
  let org: CreatedOrganization;
  let patientId: string;

  beforeAll(async () => {
    const pgUrl = dialect.name === 'postgres' ? await dialect.databaseUrl() : undefined;
    server = await startServerProcess(pgUrl ? { db: pgUrl } : {});
    alice = await signUp(server.url);
    org = await createOrganization(server.url, alice);
    patientId = crypto.randomUUID();
    await pushApplied(server.url, alice, [insertEvent('patients', rows.patient(org.organizationId), patientId)]);
  });
  afterAll(() => server?.stop());

  it('applies them or refuses them per event with a documented code, never a 500', async () => {
    const event = arbitraryFromSchema(document, { $ref: '#/components/schemas/PushEvent' });
    /** The references a client fills in from its own store: the organization, its team, a patient it knows. */
    const known: Record<string, () => string> = {
      organization_id: () => org.organizationId,
      team_id: () => org.teamId,
      patient_id: () => patientId,
    };
    const steered = fc.tuple(event, fc.boolean()).map(([drawn, steer]) => {
      const e = drawn as Record<string, any>;
      if (!steer || !e.data) return e;
      const data = { ...e.data };
      for (const key of Object.keys(data)) if (known[key]) data[key] = known[key]();
      return { ...e, data };
    });
    const statuses = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(steered, { minLength: 1, maxLength: 5 }), async (events) => {
        const res = await call(server.url, 'POST', '/v1/sync/push', {
          token: alice.syncToken,
          body: { deviceId: alice.deviceId, schemaVersion: SCHEMA_VERSION, events },
        });
        // call() already held the answer to the reference; a valid batch is answered per event.
        expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
        for (const result of res.body.results) {
          statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
          if (result.status === 'rejected') expect(REJECTION_CODES).toContain(result.code);
        }
      }),
      { numRuns: RUNS, seed: 20261201 },
    );
    // The generator builds events the server takes, not only ones it refuses.
    expect(statuses.get('applied') ?? 0).toBeGreaterThan(0);
  });
});
