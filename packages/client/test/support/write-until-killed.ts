/**
 * Child process for the crash test: opens a sync engine on a store file and
 * inserts patients one after another, printing each id once `insert` has
 * returned (the write is committed), until it is killed. Its debounce is
 * long, so nothing is pushed before the kill.
 *
 * argv: <dbPath> <serverUrl> <deviceId> <organizationId>
 */
import { openSyncEngine } from '../../src/index.ts';

const [dbPath, serverUrl, deviceId, organizationId] = process.argv.slice(2) as [string, string, string, string];
const engine = await openSyncEngine({
  dbPath,
  serverUrl,
  deviceId,
  getSyncToken: () => null,
  debounceMs: 3_600_000,
  intervalMs: 3_600_000,
});
engine.start();
for (let i = 0; ; i += 1) {
  const row = engine.insert('patients', {
    organization_id: organizationId,
    given_name: `Crash${i}`,
    family_name: 'Test',
    notes: 'x'.repeat(i % 50),
  });
  engine.update('patients', row.id, { phone: String(i) });
  process.stdout.write(`wrote ${row.id} ${i}\n`);
  // Yield so the parent's kill can land between any two writes.
  await new Promise((resolve) => setImmediate(resolve));
}
