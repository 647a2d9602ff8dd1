/**
 * The Workers runtime beside Node, in the same run: the same push and
 * first-sync measurements against `clinicsync-server` (Node, SQLite) and
 * `clinicsync-edge` (the Worker under workerd, data in a Durable Object),
 * each on a fresh server, so the ratios compare the runtimes on the same
 * work and the same machine. Locally the edge runs behind its Node front
 * (start-edge.ts), one extra loopback hop per request.
 */
import { startServerProcess, type TestRuntime } from '../../packages/server/test/support/server-process.ts';
import { BENCH_ENV } from '../lib/bench-server.ts';
import { benchTempDir } from '../lib/temp.ts';
import { measureInitialPull, type InitialPull } from './pull.ts';
import { measurePush, type PushRun } from './push.ts';

export type RuntimeRun = { readonly push: PushRun; readonly pull: InitialPull };

/** Pushes `count` patients to a fresh server of `runtime`, then a new device pulls them all (1,000-row pages). */
export async function measureRuntime(runtime: TestRuntime, count: number): Promise<RuntimeRun> {
  const server = await startServerProcess({ runtime, dataDir: benchTempDir(`server-${runtime}`), env: BENCH_ENV });
  try {
    const push = await measurePush(server.url, count);
    const pull = await measureInitialPull(push.session, 1000);
    if (pull.rows < count)
      throw new Error(`the ${runtime} client holds ${pull.rows} patients, expected at least ${count}`);
    return { push, pull };
  } finally {
    await server.stop();
  }
}
