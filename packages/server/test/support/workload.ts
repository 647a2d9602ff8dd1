/**
 * The workload shared by the load and fault tests: devices of one
 * organization insert patients and edit their own, through several server
 * instances, remembering every acknowledged version. `verifyNothingLost`
 * then compares the acknowledgements with the database.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { signUp, type SignedUpUser } from './accounts.ts';
import { accept, insertEvent, invite, updateEvent, type PushEvent } from './orgs.ts';
import { appliedVersion, SimDevice } from './sim-device.ts';

export type Workload = {
  readonly organizationId: string;
  readonly devices: readonly SimDevice[];
  /** recordId → last acknowledged version. */
  readonly acknowledged: Map<string, number>;
};

/** Signs up an admin, creates the organization and `deviceCount` clinician devices. */
export async function prepareWorkload(urls: () => readonly string[], deviceCount: number): Promise<Workload> {
  const [first] = urls();
  const admin = await signUp(first!);
  const organizationId = randomUUID();
  const adminDevice = new SimDevice(admin, urls);
  const bootstrap = await adminDevice.push([
    insertEvent('organizations', { name: 'Load Test Clinic' }, organizationId),
    insertEvent('members', { organization_id: organizationId, user_id: admin.userId, role: 'admin' }),
    insertEvent('teams', { organization_id: organizationId, name: 'Outpatients' }),
  ]);
  if (!bootstrap.every((r) => r.status === 'applied'))
    throw new Error(`bootstrap failed: ${JSON.stringify(bootstrap)}`);

  const users: SignedUpUser[] = [];
  for (let i = 0; i < deviceCount; i++) users.push(await signUp(first!));
  for (const u of users) await accept(first!, u, await invite(first!, admin, organizationId, u.email, 'clinician'));
  return { organizationId, devices: users.map((u) => new SimDevice(u, urls)), acknowledged: new Map() };
}

/** One device's loop until `until` (ms epoch): insert a few patients, update a few of its own. */
export async function runDevice(workload: Workload, device: SimDevice, until: number): Promise<void> {
  const mine: string[] = [];
  let round = 0;
  while (Date.now() < until) {
    const events: PushEvent[] = [];
    for (let i = 0; i < 5; i++) {
      events.push(
        insertEvent('patients', {
          organization_id: workload.organizationId,
          given_name: 'Load',
          family_name: `Patient ${round}-${i}`,
          phone: '+1 555 0100',
        }),
      );
    }
    for (const recordId of mine.slice(-3)) {
      events.push(
        updateEvent('patients', recordId, workload.acknowledged.get(recordId)!, {
          phone: `+1 555 ${String(round).padStart(4, '0')}`,
        }),
      );
    }
    const results = await device.push(events, { deadline: Date.now() + 90_000 });
    results.forEach((result, i) => {
      const event = events[i]!;
      const version = appliedVersion(result);
      if (version === undefined) throw new Error(`event refused: ${JSON.stringify(result)}`);
      workload.acknowledged.set(event.recordId, version);
      if (event.op === 'INSERT') mine.push(event.recordId);
    });
    round++;
  }
}

export type Verdict = {
  readonly acknowledged: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly unexpected: number;
};

/**
 * Lost: an acknowledged record missing or at another version. Duplicated: a
 * record whose audit trail has more entries than versions (a change applied
 * twice). Unexpected: rows nobody was told about.
 */
export async function verifyNothingLost(databaseUrl: string, workload: Workload): Promise<Verdict> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const rows = (
      await client.query<{ id: string; version: number }>(
        'select id, version from patients where organization_id = $1',
        [workload.organizationId],
      )
    ).rows;
    const audit = (
      await client.query<{ record_id: string; n: string }>(
        "select record_id, count(*) as n from audit_log where organization_id = $1 and table_name = 'patients' group by record_id",
        [workload.organizationId],
      )
    ).rows;
    const stored = new Map(rows.map((r) => [r.id, Number(r.version)]));
    const auditCount = new Map(audit.map((r) => [r.record_id, Number(r.n)]));
    let lost = 0;
    for (const [id, version] of workload.acknowledged) if (stored.get(id) !== version) lost++;
    let duplicated = 0;
    for (const [id, version] of stored) if ((auditCount.get(id) ?? 0) !== version) duplicated++;
    const unexpected = [...stored.keys()].filter((id) => !workload.acknowledged.has(id)).length;
    return { acknowledged: workload.acknowledged.size, lost, duplicated, unexpected };
  } finally {
    await client.end();
  }
}
