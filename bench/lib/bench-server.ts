/**
 * Server processes for the benchmarks: the real `clinicsync-server` bin on a
 * free port, quiet logs, a fixed secret (so tokens and cursors stay valid
 * across a restart on the same data folder) and sign-in limits raised for the
 * many-devices scenario. An organization can be set up over HTTP, the server
 * stopped, its SQLite file filled directly (seed-server.ts) and the server
 * started again on the same folder.
 */
import { join } from 'node:path';
import { startServerProcess, type ServerProcess } from '../../packages/server/test/support/server-process.ts';
import { createOrganization, newSession, type Session } from './clinic.ts';
import { seedPatients } from './seed-server.ts';
import { benchTempDir } from './temp.ts';

export const BENCH_SECRET = 'bench-secret-of-at-least-32-bytes-for-hmac';

export const BENCH_ENV = {
  LOG_LEVEL: 'warn',
  CLINICSYNC_JWT_SECRET: BENCH_SECRET,
  CLINICSYNC_SIGNIN_ADDRESS_FREE_FAILURES: '100000',
  CLINICSYNC_REGISTER_MAX_ATTEMPTS: '100000',
};

export function startBenchServer(
  options: { readonly dataDir?: string; readonly db?: string; readonly env?: Record<string, string> } = {},
): Promise<ServerProcess> {
  const { env, ...rest } = options;
  return startServerProcess({ dataDir: benchTempDir('server'), ...rest, env: { ...BENCH_ENV, ...env } });
}

/** A SQLite server with one organization (admin, team) and its session, ready to be filled. */
export type SeededServer = {
  readonly dataDir: string;
  readonly session: Session;
  readonly organizationId: string;
  readonly membershipId: string;
  /** Patients in the organization so far (through seeding). */
  patients: number;
  /** The organization's last change-log seq after the last seeding. */
  lastSeq: number;
};

/** Starts a fresh SQLite server, signs up its admin and creates the organization, then stops it. */
export async function prepareServer(): Promise<SeededServer> {
  const dataDir = benchTempDir('server');
  const server = await startBenchServer({ dataDir });
  try {
    const session = await newSession(server.url);
    const { organizationId, membershipId } = await createOrganization(session);
    return { dataDir, session, organizationId, membershipId, patients: 0, lastSeq: 3 };
  } finally {
    await server.stop();
  }
}

/** Fills the (stopped) server's organization up to `total` patients. */
export function fillTo(server: SeededServer, total: number): void {
  if (total <= server.patients) return;
  server.lastSeq = seedPatients(
    {
      path: join(server.dataDir, 'server.sqlite'),
      organizationId: server.organizationId,
      userId: server.session.userId,
      deviceId: server.session.deviceId,
    },
    total - server.patients,
  );
  server.patients = total;
}

/** Runs `work` against the server started on its data folder, with the session pointed at it; stops it afterwards. */
export async function withServer<T>(
  server: SeededServer,
  work: (session: Session, process: ServerProcess) => Promise<T>,
): Promise<T> {
  const running = await startBenchServer({ dataDir: server.dataDir });
  try {
    return await work({ ...server.session, base: running.url }, running);
  } finally {
    await running.stop();
  }
}
