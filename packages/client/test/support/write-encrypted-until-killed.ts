/**
 * Child process for the crash test: opens an encrypted store at argv[2]
 * (hex key argv[3]) with no reachable server, writes patients whose notes
 * carry the marker argv[4], reports each write and keeps going until killed.
 */
import { openSyncEngine } from '../../src/index.ts';

const [dbPath, keyHex, marker, organizationId] = process.argv.slice(2) as [string, string, string, string];
const engine = await openSyncEngine({
  dbPath,
  encryptionKey: Buffer.from(keyHex, 'hex'),
  serverUrl: 'http://127.0.0.1:9',
  getSyncToken: () => null,
});
for (let i = 0; ; i++) {
  const row = engine.insert('patients', {
    organization_id: organizationId,
    given_name: `Given${i}`,
    family_name: 'Okafor',
    notes: `${marker} visit ${i}`,
  });
  process.stdout.write(`wrote ${row.id}\n`);
  await new Promise((resolve) => setTimeout(resolve, 2));
}
