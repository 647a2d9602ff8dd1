/**
 * Profiles an initial pull on both sides: a server with PROF_N patients
 * (filled directly) under `node --cpu-prof`, and the client engine's first
 * sync in a child process under `--cpu-prof` too. Prints both summaries.
 * `npx tsx bench/profile/profile-pull.ts [profileDir]`
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newDevice } from '../lib/clinic.ts';
import { fillTo, prepareServer } from '../lib/bench-server.ts';
import { benchTempDir } from '../lib/temp.ts';
import { startProfiledServer, summarize } from './profiled-server.ts';

const profileDir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'cs-prof-pull-'));
const serverProfiles = join(profileDir, 'server');
const clientProfiles = join(profileDir, 'client');
const prepared = await prepareServer();
fillTo(prepared, Number(process.env.PROF_N ?? 50_000));
const server = await startProfiledServer({ dataDir: prepared.dataDir, profileDir: serverProfiles });
const device = await newDevice({ ...prepared.session, base: server.url });
const input = {
  serverUrl: server.url,
  syncToken: device.syncToken,
  deviceId: device.deviceId,
  pullLimit: Number(process.env.PROF_LIMIT ?? 1000),
  dir: benchTempDir('prof-client'),
};
const child = fileURLToPath(new URL('../child/initial-pull.ts', import.meta.url));
const output = await new Promise<string>((ok) => {
  const proc = spawn(
    process.execPath,
    ['--cpu-prof', `--cpu-prof-dir=${clientProfiles}`, '--import', 'tsx', child, JSON.stringify(input)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  proc.once('exit', () => ok(out));
});
console.log(output.trim());
const serverProfile = await server.stop();
const clientProfile = readdirSync(clientProfiles)
  .map((f) => join(clientProfiles, f))
  .sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
console.log(`\n# server (${serverProfile})`);
await summarize(serverProfile, Number(process.env.PROF_TOP ?? 30));
console.log(`\n# client (${clientProfile})`);
await summarize(clientProfile, Number(process.env.PROF_TOP ?? 30));
