/**
 * The benchmark's peers (PouchDB and pouchdb-server) live in their own
 * package, `bench/peers/`, with their own lock, so the product's `npm ci`
 * does not install them (about 370 packages, native LevelDB and SQLite
 * builds). The first benchmark that needs them installs them here, from that
 * lock, compiling native modules from source like the product does.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const PEERS = fileURLToPath(new URL('../peers/', import.meta.url));

function installed(): boolean {
  // npm writes node_modules/.package-lock.json on install; it matches the lock when nothing changed since.
  const marker = `${PEERS}node_modules/.package-lock.json`;
  if (!existsSync(marker)) return false;
  const want = JSON.parse(readFileSync(`${PEERS}package-lock.json`, 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  const have = JSON.parse(readFileSync(marker, 'utf8')) as { packages: Record<string, { version?: string }> };
  return Object.entries(want.packages).every(([path, p]) => path === '' || have.packages[path]?.version === p.version);
}

/** A `require` that resolves from `bench/peers/`, installing the peers first when they are missing or stale. */
export function requirePeers(): NodeJS.Require {
  if (!installed()) {
    console.log('Installing the benchmark peers into bench/peers/ (once) …');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], {
      cwd: PEERS,
      stdio: 'inherit',
      env: { ...process.env, npm_config_build_from_source: 'true' },
    });
    if (result.status !== 0) throw new Error('installing the benchmark peers failed (npm ci in bench/peers)');
  }
  return createRequire(`${PEERS}package.json`);
}
