// Runs after `npm install` (the root's `prepare`): builds the browser app and
// the Worker bundle once, so the first `clinicsync-edge` start and the first
// visit of /app/ do not wait for a build. Never fails the install: what could
// not be built here is built by the first start that needs it, which reports
// why if it fails again.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// A build that never ends must not hold up the install either: a few seconds
// on a quiet machine, a minute on a busy one; past the limit it is stopped.
const limitSeconds = Number(process.env.CLINICSYNC_INSTALL_BUILD_TIMEOUT_S) || 600;
const started = Date.now();
const build = spawnSync(process.execPath, ['packages/edge/bin/build-worker.js'], {
  cwd: root,
  encoding: 'utf8',
  timeout: limitSeconds * 1000,
  killSignal: 'SIGKILL',
});
if (build.status === 0) {
  console.log(
    `clinicsync: built the browser app and the edge bundle in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
} else {
  const reason =
    build.error?.code === 'ETIMEDOUT'
      ? `it took longer than ${limitSeconds} s`
      : (build.stderr || build.stdout || String(build.error ?? '')).trim().split('\n').slice(-3).join('\n');
  console.log(`clinicsync: the browser app and the edge bundle will be built at their first start (${reason})`);
}
