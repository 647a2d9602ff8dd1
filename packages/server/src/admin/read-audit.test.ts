import { auditQuerySchema, type AuditEntry, type AuditQuery, type OrganizationId } from '@clinicsync/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/support/dialects.ts';
import { testDeps, type TestDeps } from '../../test/support/test-deps.ts';
import { encodeAuditCursor } from './audit-cursor.ts';
import { readAudit } from './read-audit.ts';
import { seedAudit, seedUser, uuid } from './seed-org.fixture.ts';

describeEachDialect('readAudit', (dialect) => {
  let deps: TestDeps;
  const org = uuid() as OrganizationId;
  const otherOrg = uuid() as OrganizationId;
  const patient = uuid();
  const laptop = uuid();
  let ana: string;
  let ben: string;

  // 20 entries in `org` (seq 1..20, one minute apart from 2026-01-01T00:00Z),
  // a few in `otherOrg` with the same seq numbers and the same record id.
  beforeAll(async () => {
    deps = await testDeps({ url: await dialect.databaseUrl() });
    ana = await seedUser(deps.db, 'Ana');
    ben = await seedUser(deps.db, 'Ben');
    for (let seq = 1; seq <= 20; seq += 1) {
      await seedAudit(deps.db, {
        organizationId: org,
        seq,
        userId: seq % 2 === 0 ? ana : ben,
        deviceId: seq % 4 === 0 ? laptop : null,
        table: seq % 3 === 0 ? 'appointments' : 'patients',
        recordId: seq % 5 === 0 ? patient : undefined,
        op: seq === 1 ? 'INSERT' : 'UPDATE',
        before: seq === 1 ? null : { n: seq - 1 },
      });
    }
    for (let seq = 1; seq <= 3; seq += 1)
      await seedAudit(deps.db, { organizationId: otherOrg, seq, userId: ana, recordId: patient });
  });
  afterAll(() => deps.database.close());

  const query = (input: Record<string, unknown> = {}): AuditQuery => auditQuerySchema.parse(input);

  async function readAll(input: Record<string, unknown>): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 100; pages += 1) {
      const page = await readAudit(deps.db, org, query({ ...input, ...(cursor ? { cursor } : {}) }));
      entries.push(...page.entries);
      if (page.nextCursor === null) return entries;
      expect(page.entries.length).toBe(Number(input.limit ?? 100));
      cursor = page.nextCursor;
    }
    throw new Error('paging did not end');
  }

  const versions = (entries: AuditEntry[]) => entries.map((e) => e.version);

  it('returns entries newest first with their documents and author names', async () => {
    const page = await readAudit(deps.db, org, query());
    expect(versions(page.entries)).toEqual([20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(page.nextCursor).toBeNull();
    expect(page.entries[0]).toEqual({
      at: '2026-01-01T00:20:00.000Z',
      userId: ana,
      userName: 'Ana',
      deviceId: laptop,
      table: 'patients',
      recordId: patient,
      op: 'UPDATE',
      version: 20,
      before: { n: 19 },
      after: { n: 20 },
    });
    expect(page.entries.at(-1)).toMatchObject({ op: 'INSERT', before: null, deviceId: null, userName: 'Ben' });
  });

  it('pages with a small limit, returning each entry exactly once', async () => {
    expect(versions(await readAll({ limit: '3' }))).toEqual([
      20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1,
    ]);
    expect(versions(await readAll({ limit: '20' }))).toHaveLength(20);
    expect(versions(await readAll({ limit: '1' }))).toHaveLength(20);
  });

  it('combines filters, also across pages', async () => {
    expect(versions(await readAll({ limit: '2', table: 'appointments', userId: ana }))).toEqual([18, 12, 6]);
    expect(versions(await readAll({ limit: '2', recordId: patient }))).toEqual([20, 15, 10, 5]);
    expect(versions(await readAll({ limit: '2', deviceId: laptop, userId: ana }))).toEqual([20, 16, 12, 8, 4]);
    expect(versions(await readAll({ limit: '2', userId: ben, table: 'patients' }))).toEqual([19, 17, 13, 11, 7, 5, 1]);
  });

  it('reads since inclusive and until exclusive, whatever the offset the times are written in', async () => {
    expect(versions(await readAll({ since: '2026-01-01T00:05:00Z', until: '2026-01-01T00:08:00Z' }))).toEqual([
      7, 6, 5,
    ]);
    expect(versions(await readAll({ since: '2026-01-01T01:05:00+01:00', until: '2026-01-01T01:08:00+01:00' }))).toEqual(
      [7, 6, 5],
    );
    expect(versions(await readAll({ since: '2026-01-01T00:18:00.000Z' }))).toEqual([20, 19, 18]);
    expect(versions(await readAll({ until: '2026-01-01T00:02:00Z' }))).toEqual([1]);
  });

  it("never shows another organization's entries", async () => {
    const other = await readAudit(deps.db, otherOrg, query());
    expect(other.entries).toHaveLength(3);
    const mine = await readAll({ recordId: patient });
    expect(mine.every((e) => e.userId === ana || e.userId === ben)).toBe(true);
    expect(mine).toHaveLength(4);
  });

  it("refuses another organization's cursor", async () => {
    await expect(readAudit(deps.db, org, query({ cursor: encodeAuditCursor(otherOrg, 2) }))).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });

  it('answers an empty page for an empty result', async () => {
    expect(await readAudit(deps.db, org, query({ table: 'vitals' }))).toEqual({ entries: [], nextCursor: null });
  });
});
