/**
 * This client's first sync beside another checkout's, from one server, run
 * after run in turn (which goes first alternates), so both meet the same load:
 * the pull part's measurement (bench/child/initial-pull.ts, a fresh store per
 * run, real engine in a child process) with the other checkout's child for the
 * "before" runs. Prints each run and the medians, rows/s and the pairs' ratio.
 * `PAIR_WITH=/tmp/before PAIR_N=100000 PAIR_RUNS=5 PAIR_LIMIT=1000 PAIR_KEY=1 npx tsx bench/profile/client-pull-pair.ts`
 * (the other checkout is unpacked with `git archive`, its node_modules a link to this one's).
 * `PAIR_KEY=both` pairs an encrypted store against an unencrypted one of this checkout instead.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fillTo, prepareServer, withServer } from '../lib/bench-server.ts';
import { newDevice, type Session } from '../lib/clinic.ts';
import { benchTempDir } from '../lib/temp.ts';

const other = process.env.PAIR_WITH;
const rows = Number(process.env.PAIR_N ?? 100_000);
const runs = Number(process.env.PAIR_RUNS ?? 5);
const limit = Number(process.env.PAIR_LIMIT ?? 1000);
const keyMode = process.env.PAIR_KEY ?? '0';
const here = fileURLToPath(new URL('../child/initial-pull.ts', import.meta.url));
const before = keyMode === 'both' ? here : join(other ?? '', 'bench/child/initial-pull.ts');
if (keyMode !== 'both' && !other) throw new Error('PAIR_WITH names the other checkout');

type Run = { ms: number; cpuMs: number; rows: number; peakRssMiB: number };

async function sync(session: Session, child: string, encrypted: boolean): Promise<Run> {
  const device = await newDevice(session);
  const input = {
    serverUrl: session.base,
    syncToken: device.syncToken,
    deviceId: device.deviceId,
    pullLimit: limit,
    dir: benchTempDir('pair-client'),
    ...(encrypted ? { encryptionKey: randomBytes(32).toString('hex') } : {}),
  };
  const out = await new Promise<string>((ok, fail) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, JSON.stringify(input)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let text = '';
    proc.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    proc.once('exit', (code) => (code === 0 ? ok(text) : fail(new Error(`child exited with ${code}`))));
  });
  const result = JSON.parse(out.trim().split('\n').at(-1)!) as Run & { phase: string };
  if (result.phase !== 'idle' || result.rows !== rows)
    throw new Error(`sync ended in ${result.phase}, ${result.rows} rows`);
  return result;
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const server = await prepareServer();
fillTo(server, rows);
await withServer(server, async (session) => {
  const a: Run[] = [];
  const b: Run[] = [];
  const ratios: number[] = [];
  // A: this checkout (encrypted with PAIR_KEY=1 or both); B: the other checkout (or this one unencrypted).
  const encryptedA = keyMode === '1' || keyMode === 'both';
  const encryptedB = keyMode === '1';
  for (let run = 0; run < runs; run++) {
    const order = run % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const);
    const got: Partial<Record<'a' | 'b', Run>> = {};
    for (const which of order)
      got[which] = await sync(session, which === 'a' ? here : before, which === 'a' ? encryptedA : encryptedB);
    a.push(got.a!);
    b.push(got.b!);
    ratios.push(got.a!.ms / got.b!.ms);
    console.log(
      `run ${run + 1}: A ${Math.round((rows * 1000) / got.a!.ms)} rows/s (cpu ${Math.round(got.a!.cpuMs)} ms), B ${Math.round((rows * 1000) / got.b!.ms)} rows/s (cpu ${Math.round(got.b!.cpuMs)} ms), A/B time ${ratios.at(-1)!.toFixed(3)}`,
    );
  }
  const summary = (list: Run[]) => {
    const rates = list.map((r) => (rows * 1000) / r.ms);
    return {
      medianRowsPerSecond: Math.round(median(rates)),
      min: Math.round(Math.min(...rates)),
      max: Math.round(Math.max(...rates)),
      medianCpuMs: Math.round(median(list.map((r) => r.cpuMs))),
      medianPeakRssMiB: Math.round(median(list.map((r) => r.peakRssMiB))),
    };
  };
  console.log(
    JSON.stringify({
      rows,
      limit,
      keyMode,
      a: summary(a),
      b: summary(b),
      timeRatioAB: {
        median: Number(median(ratios).toFixed(3)),
        min: Number(Math.min(...ratios).toFixed(3)),
        max: Number(Math.max(...ratios).toFixed(3)),
      },
    }),
  );
});
