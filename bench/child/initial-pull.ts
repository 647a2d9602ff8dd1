/**
 * Child process of the pull scenario: a fresh client store (the real sync
 * engine, its SQLite file on disk) does its first sync against a server and
 * reports how long it took, its CPU time (all threads), how many rows it
 * holds and its peak RSS; then how long the patient search index still took
 * to finish (the engine builds it in the background after the sync; here it
 * is finished at once, as a search right after the sync would). A process of
 * its own, so the peak RSS and the CPU time are the client's alone.
 * Input: one JSON argument {serverUrl, syncToken, deviceId, pullLimit, dir,
 * encryptionKey?} (a hex key: the store is encrypted at rest, as on the desktop).
 */
import { join } from 'node:path';
import { openSyncEngine } from '../../packages/client/src/index.ts';
import { openBetterSqlite3 } from '../../packages/client/src/store/better-sqlite3-database.ts';
import { refreshPatientTerms } from '../../packages/client/src/store/patient-search.ts';

type Input = {
  serverUrl: string;
  syncToken: string;
  deviceId: string;
  pullLimit: number;
  dir: string;
  encryptionKey?: string;
};
const input = JSON.parse(process.argv[2]!) as Input;
const dbPath = join(input.dir, 'client.sqlite');
const database = openBetterSqlite3(dbPath, {
  key: input.encryptionKey ? Buffer.from(input.encryptionKey, 'hex') : undefined,
});
const engine = await openSyncEngine({
  dbPath,
  database,
  serverUrl: input.serverUrl,
  getSyncToken: () => input.syncToken,
  deviceId: input.deviceId,
  pullLimit: input.pullLimit,
  intervalMs: 3_600_000,
});
const baselineRssMiB = process.memoryUsage.rss() / 1024 / 1024;
let peak = process.memoryUsage.rss();
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
const started = performance.now();
const cpuBefore = process.cpuUsage();
await engine.syncNow();
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const cpuMs = (cpu.user + cpu.system) / 1000;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage.rss());
const status = engine.status();
const indexStarted = performance.now();
refreshPatientTerms(database);
const indexMs = performance.now() - indexStarted;
peak = Math.max(peak, process.memoryUsage.rss());
const rows = Number(database.get('SELECT count(*) AS n FROM patients')?.n ?? 0);
await engine.close();
process.stdout.write(
  `${JSON.stringify({ ms, cpuMs, indexMs, rows, peakRssMiB: Math.max(peak / 1024 / 1024, process.resourceUsage().maxRSS / 1024), baselineRssMiB, phase: status.phase, lastError: status.lastError ?? null })}\n`,
);
